using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Testing;

namespace Sparring.Tests.Injection;

public sealed class MutationStrategyTests
{
    [Theory]
    [InlineData(Samples.Python, "Python")]
    [InlineData(Samples.Go, "Go")]
    [InlineData(Samples.JavaScript, "JavaScript")]
    public async Task CandidatesAsync_Sample_GivesSmallEditsThatApplyAndMostlyParse(string sample, string language)
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(sample);

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new MutationStrategy(), context, seed: 1, count: 12);

        // Assert
        Assert.Equal(12, candidates.Count);
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            Assert.Equal("mutation", candidate.Strategy);
            Assert.True(await DiffApplier.CanApplyAsync(context.Environment.TreePath, candidate.BugInjectDiff), candidate.BugInjectDiff);
            var changed = await DiffApplier.ChangedPathsAsync(candidate.BugInjectDiff);
            Assert.Single(changed);
            Assert.All(changed, p => Assert.False(TestPaths.LooksLikeTest(p), p));
            var removed = candidate.BugInjectDiff.Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal));
            Assert.InRange(removed, 1, 3);
            using var copy = CodeStrategySamples.Applied(sample, candidate.BugInjectDiff);
            if (Tools.Check(language, copy.Path, changed) is { } failure)
            {
                failures.Add($"{candidate.Description}\n{failure}");
            }
        }

        Assert.True(failures.Count <= 1, string.Join("\n\n", failures));
        Assert.True(candidates.Select(c => c.Description.Split(':')[0]).Distinct(StringComparer.Ordinal).Count() >= 3, "too few kinds of mutation");
    }

    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    [InlineData(Samples.JavaScript)]
    [InlineData(Samples.CSharp)]
    public async Task CandidatesAsync_SameSeed_GivesIdenticalDiffsAndOtherSeedsDiffer(string sample)
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(sample);

        // Act
        var first = await CodeStrategySamples.TakeAsync(new MutationStrategy(), context, seed: 7, count: 6);
        var again = await CodeStrategySamples.TakeAsync(new MutationStrategy(), context, seed: 7, count: 6);
        var other = await CodeStrategySamples.TakeAsync(new MutationStrategy(), context, seed: 8, count: 6);

        // Assert
        Assert.Equal(6, first.Count);
        Assert.Equal(first.Select(c => c.BugInjectDiff), again.Select(c => c.BugInjectDiff));
        Assert.NotEqual(first.Select(c => c.BugInjectDiff), other.Select(c => c.BugInjectDiff));
        foreach (var candidate in first)
        {
            Assert.True(await DiffApplier.CanApplyAsync(context.Environment.TreePath, candidate.BugInjectDiff));
        }
    }

    [Fact]
    public async Task CandidatesAsync_TargetAndMinChangedFiles_StartsInTheTargetAndSpreads()
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(Samples.JavaScript) with { Target = "src/money.js", MinChangedFiles = 2 };

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new MutationStrategy(), context, seed: 4, count: 5);

        // Assert
        Assert.Equal(5, candidates.Count);
        foreach (var candidate in candidates)
        {
            Assert.Equal("src/money.js", candidate.Targets[0]);
            Assert.Equal(2, (await DiffApplier.ChangedPathsAsync(candidate.BugInjectDiff)).Count);
            Assert.True(await DiffApplier.CanApplyAsync(context.Environment.TreePath, candidate.BugInjectDiff));
        }
    }

    [Fact]
    public async Task CandidatesAsync_SymbolTarget_OnlyMutatesThatFunction()
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(Samples.Go) with { Target = "FromRoman" };

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new MutationStrategy(), context, seed: 4, count: 50);

        // Assert
        Assert.True(candidates.Count >= 5, $"only {candidates.Count}");
        Assert.All(candidates, c => Assert.Equal(["roman/roman.go", "roman/roman.go:FromRoman"], c.Targets));
    }
}
