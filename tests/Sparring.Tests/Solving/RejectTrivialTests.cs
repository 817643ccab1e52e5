using Sparring.Injection;
using Sparring.Repos;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Solving;

public sealed class RejectTrivialTests
{
    [Fact]
    public async Task RunAsync_RejectTrivialWithAnOperatorFlip_CountsItAsTrivialAndWritesNothing()
    {
        // Arrange: with seed 1 the first mutation candidate on py-inventory is a '-' flipped to '+' in pricing.quote.
        using var output = new TempDirectory();
        var options = new InjectorOptions { OutputDirectory = output.Path, Count = 1, Seed = 1, MaxCandidatesPerStrategy = 1 };
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var context = await Injector.CreateContextAsync(environment, await GitRepository.OpenAsync(Samples.Path(Samples.Python)));
        var progress = new List<string>();
        var injector = new Injector(SampleEnvironments.Sandboxes, options)
        {
            OnProgress = progress.Add,
            TrivialCheck = new MutationSearchTrivialCheck(SampleEnvironments.Sandboxes, budget: 10, options.Seed, options.Validation.ScriptTimeout),
        };

        // Act
        var report = await injector.RunAsync(context, [new MutationStrategy()]);

        // Assert
        var yield = Assert.Single(report.Strategies);
        Assert.Equal(1, yield.Tried);
        Assert.Equal(0, yield.Valid);
        Assert.Equal(1, yield.Rejected.GetValueOrDefault(InjectionRejections.Trivial));
        Assert.Empty(report.Artifacts);
        Assert.Empty(Directory.EnumerateDirectories(output.Path));
        Assert.Equal([InjectionReport.FileName], Directory.EnumerateFiles(output.Path).Select(Path.GetFileName));
        Assert.Contains(progress, l => l.Contains("trivial: the mutation-search solver fixed it", StringComparison.Ordinal));
    }

    [Fact]
    public void MutationSearchTrivialCheck_BudgetBelowTwo_Throws()
    {
        // Arrange, Act
        var error = Assert.Throws<ArgumentException>(() => new MutationSearchTrivialCheck(SampleEnvironments.Sandboxes, budget: 1, seed: 0, TimeSpan.FromSeconds(30)));

        // Assert
        Assert.Contains("trivial", error.Message, StringComparison.Ordinal);
    }
}
