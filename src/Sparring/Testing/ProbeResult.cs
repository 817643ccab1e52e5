namespace Sparring.Testing;

/// <summary>What a probe found: the plan, the preparation, and one test run.</summary>
public sealed record ProbeResult
{
    public required string Repository { get; init; }
    public required string Commit { get; init; }

    /// <summary>True when the repository's tracked files differ from the probed commit (the probe ran the commit).</summary>
    public required bool UncommittedChanges { get; init; }

    public required TestPlan Plan { get; init; }
    public required PreparedEnvironment Environment { get; init; }
    public required TestRun Run { get; init; }
}
