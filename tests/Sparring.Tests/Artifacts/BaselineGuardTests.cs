using Sparring.Artifacts;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Artifacts;

public sealed class BaselineGuardTests
{
    [Fact]
    public async Task RequireAsync_SuiteThatImportsAMissingModule_RefusesWithTheDiagnosisAndKeepsNoBaseline()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_stock.py", "import sparring_absent_module\n\ndef test_stock():\n    pass\n").Commit("tests");
        using var cache = new TempDirectory();
        var environment = await SampleEnvironments.PrepareAsync(repo.Path, cache.Path);
        var runner = new ArtifactTestRunner(SampleEnvironments.Sandboxes, environment, BaselineGuard.PlanScript(environment));

        // Act
        var error = await Assert.ThrowsAsync<SuiteDidNotRunException>(() => BaselineGuard.RequireAsync(runner, new BaselineRequirements()));
        var (_, reused) = await runner.BaselineAsync();

        // Assert: not cached, so installing the package the diagnosis names is seen by the next run.
        Assert.False(reused);
        Assert.False(Directory.Exists(Path.Combine(environment.Directory, "baselines")));
        Assert.Equal(RunDiagnosisKinds.MissingModule, error.Diagnosis.Kind);
        Assert.StartsWith("No test passes on the original tree", error.Message, StringComparison.Ordinal);
        Assert.Contains("\ntry: apt-get install python3-sparring-absent-module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAsync_PassingSuite_ReturnsTheBaselineAndCachesIt()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_stock.py", "def test_stock():\n    pass\n").Commit("tests");
        using var cache = new TempDirectory();
        var environment = await SampleEnvironments.PrepareAsync(repo.Path, cache.Path);

        // Act
        var (first, firstReused) = await BaselineGuard.RequireAsync(SampleEnvironments.Sandboxes, environment, new BaselineRequirements(), TimeSpan.FromMinutes(2));
        var (_, secondReused) = await BaselineGuard.RequireAsync(SampleEnvironments.Sandboxes, environment, new BaselineRequirements(), TimeSpan.FromMinutes(2));

        // Assert
        Assert.Equal(1, first.Counts.Passed);
        Assert.Null(first.Diagnosis);
        Assert.False(firstReused);
        Assert.True(secondReused);
    }
}
