using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Rewards;

namespace Sparring.Solving;

/// <summary>A graded attempt's reward of the kind a caller asked for (<see cref="SimilarityReward.Kinds"/>).</summary>
public static class AttemptRewards
{
    /// <summary>
    /// The attempt with its <see cref="SolveAttempt.Reward"/>: <c>binary</c> is ±1 as graded; <c>similarity</c> is SWE-RL's
    /// similarity of its patch to the bug's fix (<see cref="SimilarityReward"/>), −1 for a tampered attempt whatever its patch.
    /// </summary>
    /// <param name="attempt">The graded attempt; its patch file is read from <see cref="SolveAttempt.PatchPath"/>.</param>
    /// <param name="kind"><c>binary</c> or <c>similarity</c>.</param>
    /// <param name="artifact">The bug the attempt was on.</param>
    /// <param name="originalTree">The original tree the artifact applies to (the snapshot's tree).</param>
    /// <param name="cancellationToken">Cancels the scoring.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is unknown.</exception>
    public static async Task<SolveAttempt> ApplyAsync(SolveAttempt attempt, string kind, BugArtifact artifact, string originalTree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        switch (kind)
        {
            case SimilarityReward.Binary:
                return attempt with { Reward = Reward.Solver(attempt.Outcome) };
            case SimilarityReward.Similarity when attempt.Tampered:
                return attempt with { Reward = PatchSimilarity.Malformed, RewardProblem = "tampered: its grade found the test results falsified" };
            case SimilarityReward.Similarity:
                var patch = attempt.PatchPath is { } path && File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : null;
                try
                {
                    var score = await SimilarityReward.ScoreAsync(artifact, patch, SimilarityReward.FromTree(originalTree), cancellationToken).ConfigureAwait(false);
                    return attempt with { Reward = score.Reward, RewardProblem = score.Problem };
                }
                catch (Exception ex) when (ex is UnsafePathException or ArtifactApplyException or InvalidDataException or IOException)
                {
                    // The artifact itself cannot be rebuilt here: no attempt on it can be scored, and none may stop the others.
                    return attempt with { Reward = PatchSimilarity.Malformed, RewardProblem = $"could not be scored: {ex.Message}" };
                }
            default:
                throw new ArgumentException($"unknown reward '{kind}' (known: {string.Join(", ", SimilarityReward.Kinds)})", nameof(kind));
        }
    }
}
