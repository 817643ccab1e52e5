using System.Globalization;

namespace Sparring.Training;

/// <summary>
/// DAPO's dynamic sampling: drop groups that carry no learning signal. A group whose rewards are all exactly
/// equal (zero variance, including a group of one) has zero advantage under every estimator; a group whose
/// rollouts are all masked contributes no loss; an empty group has nothing.
/// </summary>
public static class DynamicSampling
{
    public const string FilterName = "dynamic-sampling";

    public static FilterResult<RolloutGroup> Apply(IEnumerable<RolloutGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var kept = new List<RolloutGroup>();
        var removed = new List<FilterDecision<RolloutGroup>>();
        foreach (var group in groups)
        {
            var reason = ReasonToDrop(group);
            if (reason is null)
            {
                kept.Add(group);
            }
            else
            {
                removed.Add(new FilterDecision<RolloutGroup> { Item = group, Filter = FilterName, Reason = reason });
            }
        }

        return new FilterResult<RolloutGroup> { Kept = kept, Removed = removed };
    }

    private static string? ReasonToDrop(RolloutGroup group)
    {
        var rollouts = group.Rollouts;
        if (rollouts.Count == 0)
        {
            return "empty group";
        }

        if (rollouts.All(r => r.Masked))
        {
            return string.Create(CultureInfo.InvariantCulture, $"all {rollouts.Count} rollouts are masked");
        }

        var first = rollouts[0].Reward;
        return rollouts.All(r => r.Reward == first)
            ? string.Create(CultureInfo.InvariantCulture, $"zero variance: all {rollouts.Count} rewards equal {first}")
            : null;
    }
}
