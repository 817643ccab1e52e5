using Sparring.Training.Internal;

namespace Sparring.Training;

/// <summary>The group-relative advantage estimators of spec §3, by name.</summary>
public static class AdvantageEstimators
{
    /// <summary>ε of GRPO: keeps the division defined when every reward is equal (verl's default).</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>The names <see cref="Get"/> knows, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = [GrpoEstimator.EstimatorName, DrGrpoEstimator.EstimatorName, RlooEstimator.EstimatorName];

    /// <summary>GRPO: <c>A_i = (r_i − mean(r)) / (std(r) + ε)</c> with the population standard deviation.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    public static IAdvantageEstimator Grpo(double epsilon = DefaultEpsilon) => new GrpoEstimator(epsilon);

    /// <summary>Dr. GRPO: <c>A_i = r_i − mean(r)</c> (no division by the standard deviation).</summary>
    public static IAdvantageEstimator DrGrpo() => DrGrpoEstimator.Instance;

    /// <summary>RLOO: <c>A_i = r_i − (Σ_{j≠i} r_j) / (G − 1)</c>; a group of one gets 0.</summary>
    public static IAdvantageEstimator Rloo() => RlooEstimator.Instance;

    /// <summary>The estimator called <paramref name="name"/> (ordinal, case-insensitive), with its defaults.</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static IAdvantageEstimator Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, GrpoEstimator.EstimatorName, StringComparison.OrdinalIgnoreCase))
        {
            return Grpo();
        }

        if (string.Equals(name, DrGrpoEstimator.EstimatorName, StringComparison.OrdinalIgnoreCase))
        {
            return DrGrpo();
        }

        if (string.Equals(name, RlooEstimator.EstimatorName, StringComparison.OrdinalIgnoreCase))
        {
            return Rloo();
        }

        throw new ArgumentException($"Unknown advantage estimator '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
    }
}
