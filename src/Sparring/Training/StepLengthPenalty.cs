using System.Globalization;

namespace Sparring.Training;

/// <summary>
/// The Nebius step-length penalty, so agents do not loop: <c>R = R_task + R_len</c> with
/// <c>R_len = 0</c> if <c>|τ| &lt; L_thr</c>, else <c>−(|τ| − L_thr) / (T_max − L_thr)</c>.
/// </summary>
/// <remarks>
/// Nothing is dropped: an over-long failure stays in the batch with its penalty, so the loss sees the loop.
/// The penalty is linear past <c>T_max</c> too (below −1), exactly as the formula reads; with <c>T_max</c> the
/// agent's budget that only happens when |τ| counts something the budget did not bound.
/// </remarks>
public static class StepLengthPenalty
{
    public const string FilterName = "step-length-penalty";

    /// <summary><c>R_len</c> for a trajectory of length <paramref name="length"/>: 0 below <c>L_thr</c>, 0 at it, −1 at <c>T_max</c>.</summary>
    public static double Compute(int length, StepLengthPenaltyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(length);

        // Written as (L_thr − |τ|) rather than −(|τ| − L_thr) so that |τ| = L_thr gives +0, not −0.
        return length < options.LengthThreshold
            ? 0
            : (options.LengthThreshold - (double)length) / (options.MaxLength - options.LengthThreshold);
    }

    /// <summary>
    /// Sets each rollout's reward to <c>R_task + R_len</c>, recording <c>R_len</c> in <see cref="Rollout.LengthPenalty"/>.
    /// <c>R_task</c> is <c>Reward − LengthPenalty</c>, so applying the penalty again (even with other thresholds)
    /// replaces it instead of stacking. Masked rollouts are penalized too: their reward still counts in their group.
    /// </summary>
    public static FilterResult<Rollout> Apply(IEnumerable<Rollout> rollouts, StepLengthPenaltyOptions options)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var kept = new List<Rollout>();
        var adjusted = new List<FilterDecision<Rollout>>();
        foreach (var rollout in rollouts)
        {
            var length = options.Unit == TrajectoryLengthUnit.Steps ? rollout.Steps : rollout.Tokens;
            var penalty = Compute(length, options);
            if (penalty == rollout.LengthPenalty)
            {
                kept.Add(rollout);
                continue;
            }

            var taskReward = rollout.Reward - rollout.LengthPenalty;
            var copy = rollout with { Reward = taskReward + penalty, LengthPenalty = penalty };
            kept.Add(copy);
            adjusted.Add(new FilterDecision<Rollout>
            {
                Item = copy,
                Filter = FilterName,
                Reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"R_len = {penalty} for |τ| = {length} {options.Unit.ToString().ToLowerInvariant()} (L_thr {options.LengthThreshold}, T_max {options.MaxLength}); R = {taskReward} + {penalty}"),
            });
        }

        return new FilterResult<Rollout> { Kept = kept, Adjusted = adjusted };
    }
}
