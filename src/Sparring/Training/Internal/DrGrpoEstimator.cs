namespace Sparring.Training.Internal;

/// <summary><c>A_i = r_i − mean(r)</c>: no division by the standard deviation, so no difficulty bias.</summary>
internal sealed class DrGrpoEstimator : IAdvantageEstimator
{
    public const string EstimatorName = "drgrpo";

    public static DrGrpoEstimator Instance { get; } = new();

    public string Name => EstimatorName;

    public IReadOnlyList<double> Compute(IReadOnlyList<double> rewards)
    {
        GroupStatistics.CheckFinite(rewards);
        if (GroupStatistics.AllEqual(rewards))
        {
            return GroupStatistics.Zeros(rewards.Count);
        }

        var mean = GroupStatistics.Mean(rewards);
        return [.. rewards.Select(r => r - mean)];
    }
}
