using System.Text.Json.Serialization;

namespace Sparring.Training;

/// <summary>
/// One line of an <c>rl</c> export: the token-level data of one rollout (or of one segment of it) with its reward
/// and advantage. Field names are those of SkyRL's generator output and verl's batch (<c>uid</c> is the GRPO group).
/// </summary>
/// <remarks>
/// <c>response_ids</c> interleaves the policy's completions (loss mask 1) with the tokens the environment added
/// between them — tool observations and chat-template tokens (loss mask 0) — exactly as the server tokenised them
/// (token in, token out; nothing is re-tokenised). When a turn's prompt does not extend the previous prompt plus
/// completion (context folding rewrote an earlier observation), the rollout continues in a new segment with its own
/// <c>prompt_token_ids</c>; each segment carries the rollout's reward and advantage.
/// </remarks>
public sealed record RlRecord
{
    /// <summary>The group (one task, sampled together); advantages are relative within it (verl's <c>uid</c>).</summary>
    [JsonPropertyName("uid")]
    public required string Uid { get; init; }

    [JsonPropertyName("trajectory_id")]
    public required string TrajectoryId { get; init; }

    /// <summary>0-based segment of the rollout, and how many segments it has.</summary>
    [JsonPropertyName("segment")]
    public required int Segment { get; init; }

    [JsonPropertyName("segments")]
    public required int Segments { get; init; }

    /// <summary><c>solver</c> or <c>injector</c>.</summary>
    [JsonPropertyName("role")]
    public required string Role { get; init; }

    [JsonPropertyName("task_id")]
    public required string TaskId { get; init; }

    /// <summary>
    /// Solver: the grade, <c>solved</c>, <c>unsolved</c> or <c>tampered</c> (the patch falsified the test results; its
    /// reward is a failure's, and a trainer may penalise it further). Null for the injector, whose rollouts are not graded.
    /// </summary>
    [JsonPropertyName("outcome")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Outcome { get; init; }

    [JsonPropertyName("prompt_token_ids")]
    public required IReadOnlyList<int> PromptTokenIds { get; init; }

    [JsonPropertyName("response_ids")]
    public required IReadOnlyList<int> ResponseIds { get; init; }

    /// <summary>1 on tokens the policy generated, 0 on observation and template tokens; all 0 when <see cref="Masked"/>.</summary>
    [JsonPropertyName("loss_mask")]
    public required IReadOnlyList<int> LossMask { get; init; }

    /// <summary>Per response token, the rollout policy's logprob (0 on mask-0 tokens); null when the server returned none.</summary>
    [JsonPropertyName("rollout_logprobs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required IReadOnlyList<double>? RolloutLogprobs { get; init; }

    [JsonPropertyName("reward")]
    public required double Reward { get; init; }

    [JsonPropertyName("advantage")]
    public required double Advantage { get; init; }

    [JsonPropertyName("policy_version")]
    public required int PolicyVersion { get; init; }

    [JsonPropertyName("stop_reason")]
    public required string StopReason { get; init; }

    /// <summary>True when a filter masked the rollout (compact filtering): it counted in its group but carries no loss.</summary>
    [JsonPropertyName("masked")]
    public required bool Masked { get; init; }

    [JsonPropertyName("mask_reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? MaskReason { get; init; }

    /// <summary>The advantage estimator (verl's <c>adv_estimator</c>: <c>grpo</c>, <c>drgrpo</c>, <c>rloo</c>).</summary>
    [JsonPropertyName("adv_estimator")]
    public required string AdvantageEstimator { get; init; }

    /// <summary>How the batch is meant to aggregate the loss (verl's <c>loss_agg_mode</c>).</summary>
    [JsonPropertyName("loss_agg_mode")]
    public required string LossAggregationMode { get; init; }
}
