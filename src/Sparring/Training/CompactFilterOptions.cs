namespace Sparring.Training;

/// <summary>Which endings <see cref="CompactFilter"/> masks.</summary>
public sealed record CompactFilterOptions
{
    /// <summary>
    /// Stop reasons whose rollouts are masked. Default: every length, time and step limit under both the
    /// trainer names and the agent loop's (<c>length</c>, <c>token-limit</c>, <c>timeout</c>, <c>wall-clock</c>,
    /// <c>max-steps</c>, <c>turn-limit</c>). Remove a reason to keep its rollouts in the loss (e.g. the step
    /// limits when <see cref="StepLengthPenalty"/> is used, which wants over-long failures in the loss).
    /// </summary>
    public IReadOnlySet<StopReason> MaskedStopReasons { get; init; } = new HashSet<StopReason>
    {
        StopReason.Length,
        StopReason.TokenLimit,
        StopReason.Timeout,
        StopReason.WallClock,
        StopReason.MaxSteps,
        StopReason.TurnLimit,
    };

    public CompactFilterOptions Validate()
    {
        if (MaskedStopReasons is null)
        {
            throw new ArgumentException($"{nameof(MaskedStopReasons)} must be set (it may be empty).");
        }

        return this;
    }
}
