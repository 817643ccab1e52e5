using Sparring.Agents;
using Sparring.Rewards;
using Sparring.Solving;
using Sparring.TestUtilities;

namespace Sparring.Tests.Solving;

public sealed class AttemptRewardsTests
{
    private static SolveAttempt Attempt(bool solved, bool tampered, string? patchPath) =>
        new() { Attempt = 1, Solved = solved, Tampered = tampered, Exit = AgentExit.Submitted, PatchPath = patchPath };

    [Fact]
    public async Task ApplyAsync_EachKind_TheGradesSignOrTheSimilarityOfThePatchAndMinusOneForTampering()
    {
        // Arrange: the sample's exact fix as the attempt's patch, graded three ways.
        var artifact = SampleArtifacts.For(Samples.Python);
        using var dir = new TempDirectory();
        var tree = Samples.Path(Samples.Python);
        var fix = SampleArtifacts.FixCommits[Samples.Python];
        var patch = dir.Write("pred_patch.diff", TempGitRepo.RunGit(tree, ["diff", fix + "^", fix, "--", "inventory"]));

        // Act
        var binarySolved = await AttemptRewards.ApplyAsync(Attempt(true, false, patch), SimilarityReward.Binary, artifact, tree);
        var binaryTampered = await AttemptRewards.ApplyAsync(Attempt(false, true, patch), SimilarityReward.Binary, artifact, tree);
        var similar = await AttemptRewards.ApplyAsync(Attempt(false, false, patch), SimilarityReward.Similarity, artifact, tree);
        var tampered = await AttemptRewards.ApplyAsync(Attempt(false, true, patch), SimilarityReward.Similarity, artifact, tree);
        var none = await AttemptRewards.ApplyAsync(Attempt(false, false, null), SimilarityReward.Similarity, artifact, tree);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => AttemptRewards.ApplyAsync(Attempt(true, false, patch), "vibes", artifact, tree));

        // Assert: similarity ignores the grade (it runs nothing) except for tampering.
        Assert.Equal((1.0, null), (binarySolved.Reward!.Value, binarySolved.RewardProblem));
        Assert.Equal(-1.0, binaryTampered.Reward);
        Assert.Equal((1.0, null), (similar.Reward!.Value, similar.RewardProblem));
        Assert.Equal(-1.0, tampered.Reward);
        Assert.StartsWith("tampered", tampered.RewardProblem, StringComparison.Ordinal);
        Assert.Equal((-1.0, "no patch"), (none.Reward!.Value, none.RewardProblem));
        Assert.Contains("vibes", unknown.Message, StringComparison.Ordinal);
    }
}
