using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

/// <summary>Go modules whose dependencies are vendored or cannot be fetched: there is no module proxy here.</summary>
public sealed class GoDetectorTests
{
    private static Prober NewProber() => new(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root));

    [Fact]
    public async Task ProbeAsync_VendoredDependencyOfAnOldModule_BuildsFromVendor()
    {
        // Arrange: go.mod says go 1.13, before vendor/ was used without -mod=vendor, and no proxy can serve the module.
        using var repo = new TempGitRepo();
        repo.Write("go.mod", "module example.com/app\n\ngo 1.13\n\nrequire example.com/greet v1.0.0\n")
            .Write("go.sum", "example.com/greet v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/greet v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
            .Write("vendor/modules.txt", "# example.com/greet v1.0.0\n## explicit\nexample.com/greet\n")
            .Write("vendor/example.com/greet/greet.go", "package greet\n\nfunc Hello(name string) string { return \"hello, \" + name }\n")
            .Write("app.go", "package app\n\nimport \"example.com/greet\"\n\nfunc Welcome() string { return greet.Hello(\"world\") }\n")
            .Write("app_test.go", "package app\n\nimport \"testing\"\n\nfunc TestWelcome(t *testing.T) {\n\tif got := Welcome(); got != \"hello, world\" {\n\t\tt.Fatal(got)\n\t}\n}\n")
            .Commit("vendored");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Equal("go test -mod=vendor -json -count=1 ./...", result.Plan.Command.Command);
        Assert.DoesNotContain(result.Plan.Recipe.SetupCommands, c => c.Contains("go mod download", StringComparison.Ordinal));
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(TestStatus.Passed, Assert.Single(result.Run.Tests).Status);
        Assert.Equal(0, result.Run.ExitCode);
    }

    [Fact]
    public async Task ProbeAsync_RequiredModulesThatCannotBeFetched_FailsNamingEachOne()
    {
        // Arrange: two required modules, neither in the module cache nor reachable (go itself names only the first).
        using var repo = new TempGitRepo();
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n\nrequire (\n\texample.invalid/first v1.0.0\n\texample.invalid/second v0.2.0\n)\n")
            .Write("app.go", "package app\n")
            .Write("app_test.go", "package app\n\nimport \"testing\"\n\nfunc TestNothing(t *testing.T) {}\n")
            .Commit("unreachable modules");

        // Act
        var error = await Assert.ThrowsAsync<EnvironmentPreparationException>(() => NewProber().ProbeAsync(repo.Path, new ProbeOptions()));

        // Assert
        Assert.StartsWith("go mod download || ", error.Step.Command, StringComparison.Ordinal);
        // The setup step's own output names every module; the error's message is one line plus why/try.
        Assert.Contains("unreachable Go module: example.invalid/first@v1.0.0", error.Step.OutputTail, StringComparison.Ordinal);
        Assert.Contains("unreachable Go module: example.invalid/second@v0.2.0", error.Step.OutputTail, StringComparison.Ordinal);
        Assert.Contains("no Go module proxy reachable", error.Step.OutputTail, StringComparison.Ordinal);
        Assert.Contains("\nwhy: ", error.Message, StringComparison.Ordinal);
    }
}
