using System.Text.Json;
using Sparring.Repos;
using Sparring.SelfPlay;
using Sparring.SelfPlay.Runs;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.SelfPlay.Runs;

public sealed class SelfPlayRunnerTests
{
    [Fact]
    public async Task RunAsync_OneRoundOnThePythonSample_RecordsEveryUnitAndResumesToTheSameSummaryWithoutNewWork()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        using var run = new TempDirectory();
        var options = new SelfPlayOptions { Rounds = 1, BugsPerRound = 2, Attempts = 2, SearchBudget = 2, Seed = 3, MaxCandidatesPerStrategy = 4 };
        var progress = new List<string>();

        // Act
        RunSummary first;
        await using (var store = await RunStore.OpenAsync(run.Path))
        {
            first = await new SelfPlayRunner(SampleEnvironments.Sandboxes, options).RunAsync(environment, repository, store);
        }

        RunSummary again;
        await using (var store = await RunStore.OpenAsync(run.Path))
        {
            again = await new SelfPlayRunner(SampleEnvironments.Sandboxes, options) { OnProgress = progress.Add }.RunAsync(environment, repository, store);
        }

        // Assert
        Assert.Equal(1, first.Rounds);
        Assert.Equal(2, first.Valid);
        Assert.Equal(4, first.Attempts);
        Assert.True(first.BugsTried >= first.Valid);
        Assert.Equal(first.BugsTried - first.Valid, first.RejectedByCheck.Values.Sum());
        Assert.InRange(first.MeanReward["solver"], -1, 1);
        Assert.Equal(first.Solved * 2 - first.Attempts, first.MeanReward["solver"] * first.Attempts, precision: 3);
        Assert.All(first.Bugs, b => Assert.True(File.Exists(Path.Combine(run.Path, b.Path, BugArtifactFiles.BugInject))));
        Assert.All(first.Bugs, b => Assert.Equal(Rewards.InjectorAtRate(b.SolveRate), b.InjectorReward, precision: 3));
        Assert.Contains("inject", first.SecondsByStage.Keys);
        Assert.True(File.Exists(Path.Combine(run.Path, "summary.json")));
        Assert.True(File.Exists(Path.Combine(run.Path, "report.html")));
        var saved = JsonSerializer.Deserialize(await File.ReadAllTextAsync(Path.Combine(run.Path, "summary.json")), SelfPlayJsonContext.Default.RunSummary)!;
        Assert.Equal(first.Attempts, saved.Attempts);

        // The second run found everything done: same totals, and no unit was redone.
        Assert.Equal(Totals(first), Totals(again));
        Assert.Equal(first.SecondsByStage, again.SecondsByStage);
        Assert.Contains(progress, l => l.Contains("injection already done", StringComparison.Ordinal));
        Assert.DoesNotContain(progress, l => l.Contains("attempt 1/2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_RunOpenInAnotherHandle_RefusesWithRunLocked()
    {
        // Arrange
        using var run = new TempDirectory();
        await using var first = await RunStore.OpenAsync(run.Path);

        // Act
        var error = await Assert.ThrowsAsync<RunLockedException>(() => RunStore.OpenAsync(run.Path));

        // Assert
        Assert.Contains("another process", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Everything but the timings.</summary>
    internal static string Totals(RunSummary summary) =>
        JsonSerializer.Serialize(summary with { SecondsByStage = new Dictionary<string, double>() }, SelfPlayJsonContext.Default.RunSummary);
}
