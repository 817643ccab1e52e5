namespace Sparring.Rewards;

/// <summary>One file's share of the similarity reward: the ratio of its predicted change to the oracle's (0 when only one changes it).</summary>
public sealed record FileSimilarity(string Path, double Similarity);
