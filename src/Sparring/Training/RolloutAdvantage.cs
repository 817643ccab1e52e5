namespace Sparring.Training;

/// <summary>A rollout with the advantage its group gave it.</summary>
public sealed record RolloutAdvantage
{
    public required Rollout Rollout { get; init; }

    public required double Advantage { get; init; }

    /// <summary>False for a masked rollout: it has an advantage (it counted in its group) but no loss.</summary>
    public bool ContributesToLoss => !Rollout.Masked;
}
