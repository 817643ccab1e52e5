using System.Text.Json.Serialization;
using Sparring.Agents;
using Sparring.Grading;

namespace Sparring.Solving;

/// <summary>One solver episode and its grade.</summary>
public sealed record SolveAttempt
{
    [JsonPropertyName("attempt")]
    public required int Attempt { get; init; }

    [JsonPropertyName("solved")]
    public required bool Solved { get; init; }

    /// <summary>Solved, unsolved, or tampered (the grader found the patch falsifying the test results).</summary>
    [JsonPropertyName("outcome")]
    public GradeOutcome Outcome => Tampered ? GradeOutcome.Tampered : Solved ? GradeOutcome.Solved : GradeOutcome.Unsolved;

    /// <summary>True when the grade was <see cref="GradeOutcome.Tampered"/> (never together with <see cref="Solved"/>).</summary>
    [JsonPropertyName("tampered")]
    public bool Tampered { get; init; }

    [JsonPropertyName("exit")]
    public required AgentExit Exit { get; init; }

    [JsonPropertyName("exitDetail")]
    public string? ExitDetail { get; init; }

    [JsonPropertyName("turns")]
    public int Turns { get; init; }

    [JsonPropertyName("tokens")]
    public long Tokens { get; init; }

    /// <summary>The trajectory file, when one was written.</summary>
    [JsonPropertyName("trajectory")]
    public string? TrajectoryPath { get; init; }

    /// <summary>The submitted patch file (<c>pred_patch.diff</c>), when there was a submission.</summary>
    [JsonPropertyName("patch")]
    public string? PatchPath { get; init; }

    /// <summary>Why the grade is what it is (the grader's reasons), or why there was no grade.</summary>
    [JsonPropertyName("reasons")]
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The attempt's reward when the caller computed one (<c>solve</c>: ±1, or SWE-RL's similarity with <c>--reward similarity</c>).</summary>
    [JsonPropertyName("reward")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Reward { get; init; }

    /// <summary>Why the similarity reward is −1 (no patch, malformed, tampered), when it is.</summary>
    [JsonPropertyName("rewardProblem")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RewardProblem { get; init; }

    [JsonPropertyName("durationMs")]
    public double DurationMs { get; init; }
}
