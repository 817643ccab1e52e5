namespace Sparring.Training.Internal;

/// <summary><c>A_i = (r_i − mean(r)) / (std(r) + ε)</c>, std the population standard deviation.</summary>
internal sealed class GrpoEstimator : IAdvantageEstimator
{
    public const string EstimatorName = "grpo";

    public GrpoEstimator(double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and at least 0.");
        }

        Epsilon = epsilon;
    }

    public string Name => EstimatorName;

    public double Epsilon { get; }

    public IReadOnlyList<double> Compute(IReadOnlyList<double> rewards)
    {
        GroupStatistics.CheckFinite(rewards);

        // Exact zeros for a zero-variance group, even with ε = 0 (which would otherwise be 0/0).
        if (GroupStatistics.AllEqual(rewards))
        {
            return GroupStatistics.Zeros(rewards.Count);
        }

        var mean = GroupStatistics.Mean(rewards);
        var denominator = GroupStatistics.PopulationStd(rewards, mean) + Epsilon;
        return [.. rewards.Select(r => (r - mean) / denominator)];
    }
}
