namespace Sparring.Training.Internal;

/// <summary>Checks and moments shared by the estimators.</summary>
internal static class GroupStatistics
{
    /// <summary>Throws on a NaN or infinite reward: that is a bug upstream, not an outcome.</summary>
    public static void CheckFinite(IReadOnlyList<double> rewards)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        for (var i = 0; i < rewards.Count; i++)
        {
            if (!double.IsFinite(rewards[i]))
            {
                throw new ArgumentException($"Reward {i} is {rewards[i]}; rewards must be finite.", nameof(rewards));
            }
        }
    }

    /// <summary>True when every reward equals the first exactly (also for zero or one reward).</summary>
    public static bool AllEqual(IReadOnlyList<double> rewards)
    {
        for (var i = 1; i < rewards.Count; i++)
        {
            if (rewards[i] != rewards[0])
            {
                return false;
            }
        }

        return true;
    }

    public static double Mean(IReadOnlyList<double> rewards) => rewards.Sum() / rewards.Count;

    /// <summary>The population standard deviation: divides by G, not G − 1 (as verl does).</summary>
    public static double PopulationStd(IReadOnlyList<double> rewards, double mean) =>
        Math.Sqrt(rewards.Sum(r => (r - mean) * (r - mean)) / rewards.Count);

    public static double[] Zeros(int count) => new double[count];
}
