using Sparring.Grading;

namespace Sparring.Store;

/// <summary>A finished injection round: the injector's report as JSON, and how long it took.</summary>
public sealed record RoundRecord(int Round, string ReportJson, double Seconds);

/// <summary>A valid bug of the run. <paramref name="Path"/> is relative to the run directory.</summary>
public sealed record ArtifactRecord(string Id, int Round, string Strategy, int Order, string Path, string? Parent);

/// <summary>One graded solver attempt. <paramref name="Outcome"/> is the grade: solved, unsolved or tampered.</summary>
public sealed record AttemptRecord(
    string ArtifactId, int Attempt, GradeOutcome Outcome, string Exit, int Turns, long Tokens, double Reward, double Seconds, string? PatchPath, string? TrajectoryPath)
{
    /// <summary>True only for <see cref="GradeOutcome.Solved"/>: a tampered attempt is not solved.</summary>
    public bool Solved => Outcome == GradeOutcome.Solved;

    /// <summary>True when grading found the attempt's patch falsifying the test results.</summary>
    public bool Tampered => Outcome == GradeOutcome.Tampered;
}

/// <summary>The injector's reward for a bug once all its attempts are graded.</summary>
public sealed record RewardRecord(string ArtifactId, double SolveRate, double InjectorReward);
