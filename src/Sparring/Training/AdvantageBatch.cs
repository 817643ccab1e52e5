namespace Sparring.Training;

/// <summary>
/// Advantages for a batch of groups, with the estimator that made them and the loss aggregation they are
/// meant for, so a batch on disk says how to consume it.
/// </summary>
public sealed record AdvantageBatch
{
    /// <summary>The <see cref="IAdvantageEstimator.Name"/> used.</summary>
    public required string Estimator { get; init; }

    public required LossAggregation LossAggregation { get; init; }

    /// <summary>Every rollout of every group, groups in input order, rollouts in group order.</summary>
    public required IReadOnlyList<RolloutAdvantage> Items { get; init; }

    /// <summary>
    /// Computes each group's advantages with <paramref name="estimator"/>. A masked rollout's reward counts in
    /// its group's statistics (it is a real outcome of the policy); the rollout itself only carries no loss.
    /// </summary>
    public static AdvantageBatch Create(IEnumerable<RolloutGroup> groups, IAdvantageEstimator estimator, LossAggregation lossAggregation)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(estimator);
        if (lossAggregation.Value is null)
        {
            throw new ArgumentException("The loss aggregation mode is unset.", nameof(lossAggregation));
        }

        var items = new List<RolloutAdvantage>();
        foreach (var group in groups)
        {
            var advantages = estimator.Compute([.. group.Rollouts.Select(r => r.Reward)]);
            items.AddRange(group.Rollouts.Select((r, i) => new RolloutAdvantage { Rollout = r, Advantage = advantages[i] }));
        }

        return new AdvantageBatch { Estimator = estimator.Name, LossAggregation = lossAggregation, Items = items };
    }
}
