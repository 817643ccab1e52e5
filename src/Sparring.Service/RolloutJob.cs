using System.Text.Json.Serialization;
using Sparring.Grading;
using Sparring.Rewards;
using Sparring.Training;

namespace Sparring.Service;

/// <summary>A submitted request as <c>GET /v1/rollouts/{id}</c> shows it; <see cref="Groups"/> once it is done.</summary>
public sealed record RolloutJob
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>queued</c>, <c>running</c>, <c>done</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("policyVersion")]
    public required int PolicyVersion { get; init; }

    [JsonPropertyName("attemptsDone")]
    public required int AttemptsDone { get; init; }

    [JsonPropertyName("attemptsTotal")]
    public required int AttemptsTotal { get; init; }

    [JsonPropertyName("submittedAt")]
    public required DateTimeOffset SubmittedAt { get; init; }

    [JsonPropertyName("finishedAt")]
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Why the job failed (the model server is unusable, a repository cannot be prepared, …).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>When the job failed because a task's suite does not run or a setup command failed: why, read from the log.</summary>
    [JsonPropertyName("diagnosis")]
    public Testing.RunDiagnosis? Diagnosis { get; init; }

    [JsonPropertyName("groups")]
    public IReadOnlyList<RolloutGroupResult>? Groups { get; init; }
}

/// <summary>One task's finished group: per rollout its outcome, reward and advantage, and the token-level records.</summary>
public sealed record RolloutGroupResult
{
    /// <summary>The group id, as in <see cref="RlRecord.Uid"/>.</summary>
    [JsonPropertyName("uid")]
    public required string Uid { get; init; }

    [JsonPropertyName("taskId")]
    public required string TaskId { get; init; }

    [JsonPropertyName("solveRate")]
    public required double SolveRate { get; init; }

    /// <summary>True when every reward is equal: the group has no learning signal (DAPO's dynamic sampling drops it).</summary>
    [JsonPropertyName("zeroVariance")]
    public required bool ZeroVariance { get; init; }

    [JsonPropertyName("estimator")]
    public required string Estimator { get; init; }

    [JsonPropertyName("rollouts")]
    public required IReadOnlyList<RolloutOutcome> Rollouts { get; init; }

    /// <summary>The <c>rl</c> export's lines for this group (docs/formats.md); rollouts without token ids have none.</summary>
    [JsonPropertyName("records")]
    public required IReadOnlyList<RlRecord> Records { get; init; }
}

/// <summary>One rollout of a group.</summary>
public sealed record RolloutOutcome
{
    [JsonPropertyName("attempt")]
    public required int Attempt { get; init; }

    [JsonPropertyName("solved")]
    public required bool Solved { get; init; }

    /// <summary>The grade: <c>solved</c>, <c>unsolved</c> (no submission included), or <c>tampered</c> (the patch falsified the test results; rewarded as a failure).</summary>
    [JsonPropertyName("outcome")]
    public required GradeOutcome Outcome { get; init; }

    [JsonPropertyName("exit")]
    public required string Exit { get; init; }

    [JsonPropertyName("exitDetail")]
    public string? ExitDetail { get; init; }

    [JsonPropertyName("turns")]
    public required int Turns { get; init; }

    [JsonPropertyName("tokens")]
    public required long Tokens { get; init; }

    [JsonPropertyName("reward")]
    public required double Reward { get; init; }

    [JsonPropertyName("advantage")]
    public required double Advantage { get; init; }

    [JsonPropertyName("masked")]
    public required bool Masked { get; init; }

    [JsonPropertyName("trajectory")]
    public string? Trajectory { get; init; }

    [JsonPropertyName("patch")]
    public string? Patch { get; init; }
}
