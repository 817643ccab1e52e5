namespace Sparring.Store;

/// <summary>A finished injection round: the injector's report as JSON, and how long it took.</summary>
public sealed record RoundRecord(int Round, string ReportJson, double Seconds);

/// <summary>A valid bug of the run. <paramref name="Path"/> is relative to the run directory.</summary>
public sealed record ArtifactRecord(string Id, int Round, string Strategy, int Order, string Path, string? Parent);

/// <summary>One graded solver attempt.</summary>
public sealed record AttemptRecord(
    string ArtifactId, int Attempt, bool Solved, string Exit, int Turns, long Tokens, double Reward, double Seconds, string? PatchPath, string? TrajectoryPath);

/// <summary>The injector's reward for a bug once all its attempts are graded.</summary>
public sealed record RewardRecord(string ArtifactId, double SolveRate, double InjectorReward);
