namespace Sparring.Training;

/// <summary>
/// Compact (overlong) filtering, DAPO and DeepSWE: a rollout cut off by a length, time or step limit is
/// <em>masked</em>, not dropped — it stays in its group, so the group's statistics still see its reward, but
/// contributes no loss, so the policy is not punished for being cut off mid-way.
/// </summary>
public static class CompactFilter
{
    public const string FilterName = "compact";

    /// <summary>Masks rollouts whose stop reason is in <see cref="CompactFilterOptions.MaskedStopReasons"/>.</summary>
    /// <remarks>A rollout that is already masked is passed on unchanged and not reported again: its reason is already on it.</remarks>
    public static FilterResult<Rollout> Apply(IEnumerable<Rollout> rollouts, CompactFilterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        options = (options ?? new CompactFilterOptions()).Validate();
        var kept = new List<Rollout>();
        var masked = new List<FilterDecision<Rollout>>();
        foreach (var rollout in rollouts)
        {
            if (rollout.Masked || !options.MaskedStopReasons.Contains(rollout.StopReason))
            {
                kept.Add(rollout);
                continue;
            }

            var copy = rollout with { Masked = true, MaskReason = $"{FilterName}:{rollout.StopReason.Value}" };
            kept.Add(copy);
            masked.Add(new FilterDecision<Rollout> { Item = copy, Filter = FilterName, Reason = $"stopped by '{rollout.StopReason.Value}'" });
        }

        return new FilterResult<Rollout> { Kept = kept, Masked = masked };
    }
}
