namespace Sparring.Training;

/// <summary>What |τ|, the length of a trajectory, counts.</summary>
public enum TrajectoryLengthUnit
{
    /// <summary><see cref="Rollout.Steps"/>: agent turns (Nebius's step-length penalty).</summary>
    Steps,

    /// <summary><see cref="Rollout.Tokens"/>: generated tokens.</summary>
    Tokens,
}
