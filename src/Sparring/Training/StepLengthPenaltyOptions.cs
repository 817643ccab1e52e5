namespace Sparring.Training;

/// <summary>The thresholds of the Nebius step-length penalty. The paper gives no values: both are required.</summary>
public sealed record StepLengthPenaltyOptions
{
    /// <summary><c>L_thr</c>: trajectories shorter than this are not penalized. At least 0, below <see cref="MaxLength"/>.</summary>
    public required int LengthThreshold { get; init; }

    /// <summary><c>T_max</c>: the length budget, where the penalty reaches −1 (normally the agent's step limit).</summary>
    public required int MaxLength { get; init; }

    /// <summary>What |τ| counts; steps by default, as in the paper.</summary>
    public TrajectoryLengthUnit Unit { get; init; } = TrajectoryLengthUnit.Steps;

    public StepLengthPenaltyOptions Validate()
    {
        if (LengthThreshold < 0)
        {
            throw new ArgumentException($"{nameof(LengthThreshold)} (L_thr) must be at least 0, got {LengthThreshold}.");
        }

        if (LengthThreshold >= MaxLength)
        {
            throw new ArgumentException($"{nameof(LengthThreshold)} (L_thr = {LengthThreshold}) must be below {nameof(MaxLength)} (T_max = {MaxLength}).");
        }

        if (!Enum.IsDefined(Unit))
        {
            throw new ArgumentException($"Unknown {nameof(Unit)} {Unit}.");
        }

        return this;
    }
}
