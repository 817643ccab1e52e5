using System.Globalization;

namespace Sparring.Training;

/// <summary>
/// Keeps training near on-policy (SSR): drops rollouts more than K policy versions behind the current one.
/// A rollout exactly K versions behind is kept; K + 1 behind is dropped.
/// </summary>
public static class StalenessFilter
{
    public const string FilterName = "staleness";

    /// <summary>K in the SSR paper.</summary>
    public const int DefaultMaxLag = 8;

    /// <exception cref="ArgumentException">A rollout from a policy version newer than <paramref name="currentPolicyVersion"/>: the bookkeeping is broken.</exception>
    public static FilterResult<Rollout> Apply(IEnumerable<Rollout> rollouts, int currentPolicyVersion, int maxLag = DefaultMaxLag)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        var kept = new List<Rollout>();
        var removed = new List<FilterDecision<Rollout>>();
        foreach (var rollout in rollouts)
        {
            var lag = (long)currentPolicyVersion - rollout.PolicyVersion;
            if (lag < 0)
            {
                throw new ArgumentException(
                    $"Rollout of task '{rollout.TaskId}' (group '{rollout.GroupId}') comes from policy version {rollout.PolicyVersion}, newer than the current {currentPolicyVersion}.",
                    nameof(rollouts));
            }

            if (lag <= maxLag)
            {
                kept.Add(rollout);
            }
            else
            {
                removed.Add(new FilterDecision<Rollout>
                {
                    Item = rollout,
                    Filter = FilterName,
                    Reason = string.Create(CultureInfo.InvariantCulture, $"{lag} policy versions behind (version {rollout.PolicyVersion}, current {currentPolicyVersion}, max lag {maxLag})"),
                });
            }
        }

        return new FilterResult<Rollout> { Kept = kept, Removed = removed };
    }
}
