namespace Sparring.Training.Internal;

/// <summary><c>A_i = r_i − (Σ_{j≠i} r_j) / (G − 1)</c>; with G = 1 there is no baseline and the advantage is 0.</summary>
internal sealed class RlooEstimator : IAdvantageEstimator
{
    public const string EstimatorName = "rloo";

    public static RlooEstimator Instance { get; } = new();

    public string Name => EstimatorName;

    public IReadOnlyList<double> Compute(IReadOnlyList<double> rewards)
    {
        GroupStatistics.CheckFinite(rewards);
        if (GroupStatistics.AllEqual(rewards))
        {
            return GroupStatistics.Zeros(rewards.Count);
        }

        var sum = rewards.Sum();
        var others = rewards.Count - 1;
        return [.. rewards.Select(r => r - ((sum - r) / others))];
    }
}
