namespace Sparring.Training;

/// <summary>
/// One finished attempt of the policy at a task, as the training filters see it. Filters never mutate a
/// rollout: masking or a reward adjustment returns a copy (<c>with</c>).
/// </summary>
public sealed record Rollout
{
    /// <summary>The rollout's own id (its trajectory), when it has one: how a filtered rollout is found again.</summary>
    public string? Id { get; init; }

    /// <summary>The task (bug, issue) attempted.</summary>
    public required string TaskId { get; init; }

    /// <summary>The group of rollouts sampled together for this task; advantages are computed within it.</summary>
    public required string GroupId { get; init; }

    /// <summary>The reward the rollout earned, including any <see cref="LengthPenalty"/> already applied.</summary>
    public required double Reward { get; init; }

    /// <summary>The version of the policy that generated the rollout (the trainer's update counter).</summary>
    public required int PolicyVersion { get; init; }

    /// <summary>Why the rollout ended.</summary>
    public required StopReason StopReason { get; init; }

    /// <summary>Agent steps (turns) taken.</summary>
    public required int Steps { get; init; }

    /// <summary>Tokens the policy generated over the rollout.</summary>
    public required int Tokens { get; init; }

    /// <summary>The rollout stays in its group (its reward counts in the group's statistics) but contributes no loss.</summary>
    public bool Masked { get; init; }

    /// <summary>Why <see cref="Masked"/> is set (<c>compact:length</c>, …); null when not masked.</summary>
    public string? MaskReason { get; init; }

    /// <summary>
    /// The step-length penalty <c>R_len</c> (≤ 0) included in <see cref="Reward"/>; the task reward is
    /// <c>Reward − LengthPenalty</c>. Zero until <see cref="StepLengthPenalty.Apply"/> sets it.
    /// </summary>
    public double LengthPenalty { get; init; }
}
