namespace Sparring.Training;

/// <summary>
/// Turns the rewards of one group (G rollouts of the same task) into one advantage per rollout.
/// </summary>
/// <remarks>
/// Implementations are pure and thread-safe. The output has the input's length and order; an empty group
/// gives an empty list; a group whose rewards are all exactly equal gives exact zeros. A NaN or infinite
/// reward is a bug upstream and throws <see cref="ArgumentException"/>.
/// </remarks>
public interface IAdvantageEstimator
{
    /// <summary>The name <see cref="AdvantageEstimators.Get"/> knows it by (<c>grpo</c>, <c>drgrpo</c>, <c>rloo</c>).</summary>
    string Name { get; }

    /// <summary>The advantage of each rollout, in the order of <paramref name="rewards"/>.</summary>
    IReadOnlyList<double> Compute(IReadOnlyList<double> rewards);
}
