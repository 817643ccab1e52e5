namespace Sparring.Agents;

/// <summary>How an episode ended and what it produced.</summary>
public sealed record AgentResult
{
    public required AgentExit Exit { get; init; }

    /// <summary>What <c>submit</c> returned (a patch, or the artifact folder), when <see cref="Exit"/> is Submitted.</summary>
    public string? Submission { get; init; }

    public required Trajectory Trajectory { get; init; }
}
