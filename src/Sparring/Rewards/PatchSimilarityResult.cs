namespace Sparring.Rewards;

/// <summary>SWE-RL's similarity reward and how it was made (<see cref="PatchSimilarity.Score"/>).</summary>
/// <param name="Reward">The mean similarity in [0, 1], or −1 for a malformed prediction.</param>
/// <param name="Files">Each file either side changes, by path, with its similarity.</param>
/// <param name="Problem">Why the prediction is malformed; null otherwise.</param>
public sealed record PatchSimilarityResult(double Reward, IReadOnlyList<FileSimilarity> Files, string? Problem);
