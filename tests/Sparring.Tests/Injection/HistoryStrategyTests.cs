using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Injection;

public sealed class HistoryStrategyTests
{
    [Fact]
    public async Task CandidatesAsync_PythonSample_RevertsTheSourcePartOfItsFixCommitsNewestFirst()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var context = await Injector.CreateContextAsync(environment, await GitRepository.OpenAsync(Samples.Path(Samples.Python)));
        var expected = TempGitRepo.RunGit(Samples.Path(Samples.Python), ["diff", "c71f695db5", "c71f695db5^", "--", "inventory/reports.py"]);

        // Act
        var candidates = await new HistoryStrategy().CandidatesAsync(context, new Random(1)).ToListAsync();

        // Assert
        Assert.True(candidates.Count >= 4, $"only {candidates.Count} candidates");
        Assert.Equal(expected, candidates[0].BugInjectDiff);
        Assert.Contains("c71f695db5", candidates[0].Description, StringComparison.Ordinal);
        Assert.Contains(candidates, c => c.Description.Contains("9afecac1de", StringComparison.Ordinal));
        Assert.Contains(candidates, c => c.Description.Contains("033c79c526", StringComparison.Ordinal));
        Assert.All(candidates, c => Assert.Equal("history", c.Strategy));
        Assert.All(candidates, c => Assert.DoesNotContain(c.Targets, TestPaths.LooksLikeTest));
        foreach (var candidate in candidates)
        {
            Assert.True(await DiffApplier.CanApplyAsync(environment.TreePath, candidate.BugInjectDiff), candidate.Description);
        }

        // Commits that created a file (the reverse would delete it) give no candidate for that file.
        Assert.DoesNotContain(candidates, c => c.BugInjectDiff.Contains("deleted file mode", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CandidatesAsync_FileTarget_RevertsOnlyThatFile()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var context = await Injector.CreateContextAsync(environment, await GitRepository.OpenAsync(Samples.Path(Samples.Python)), target: "inventory/pricing.py");

        // Act
        var candidates = await new HistoryStrategy().CandidatesAsync(context, new Random(1)).ToListAsync();

        // Assert
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.Equal(["inventory/pricing.py"], c.Targets));
        Assert.Contains(candidates, c => c.Description.Contains("033c79c526", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CandidatesAsync_SymbolTarget_KeepsOnlyHunksInsideTheSymbol()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Go);
        var context = await Injector.CreateContextAsync(environment, await GitRepository.OpenAsync(Samples.Path(Samples.Go)), target: "TopN");

        // Act
        var candidates = await new HistoryStrategy().CandidatesAsync(context, new Random(1)).ToListAsync();

        // Assert
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.Equal(["stats/freq.go"], c.Targets));
        Assert.Contains("d431b6ed8c", candidates[0].Description, StringComparison.Ordinal);
    }
}
