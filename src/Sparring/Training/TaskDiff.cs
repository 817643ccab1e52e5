namespace Sparring.Training;

/// <summary>A task and the unified diff that defines its size (the gold patch, or a bug's <c>bug_inject.diff</c>).</summary>
public sealed record TaskDiff
{
    public required string TaskId { get; init; }

    public required string Diff { get; init; }
}
