using Sparring.Testing.Instrumentation;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Instrumentation;

public sealed class GoInstrumentationTests
{
    [Fact]
    public void Applies_RunnerOrScript_OnlyWhenEitherRunsGoTest()
    {
        // Arrange
        var go = SketchEnvironments.With("go");
        var other = SketchEnvironments.With("pytest");

        // Act
        var byRunner = GoInstrumentation.Applies(go, "make check");
        var byScript = GoInstrumentation.Applies(other, "cd pkg && go test -json ./...");
        var neither = GoInstrumentation.Applies(other, "go vet ./...");

        // Assert
        Assert.True(byRunner);
        Assert.True(byScript);
        Assert.False(neither);
    }

    [Fact]
    public void Instrument_GoflagsInSetupEnvironment_KeepsThemBeforeTheWrapper()
    {
        // Arrange
        var environment = SketchEnvironments.With("go", environment: new Dictionary<string, string> { ["GOFLAGS"] = "-mod=vendor" });

        // Act
        var instrumented = GoInstrumentation.Instrument(environment).Plan.Recipe.RunEnvironment;

        // Assert
        Assert.Equal("-mod=vendor -exec=" + GoInstrumentation.SandboxDirectory + "/go-exec.sh", instrumented["GOFLAGS"]);
        Assert.Single(instrumented);
        Assert.Empty(environment.Plan.Recipe.RunEnvironment);
    }

    [Fact]
    public async Task WriteWrapperAsync_Directory_WritesAnExecutableScriptAndMountsItReadOnly()
    {
        // Arrange
        using var directory = new TempDirectory();

        // Act
        var mount = await GoInstrumentation.WriteWrapperAsync(directory.Path, CancellationToken.None);

        // Assert
        var script = Path.Combine(directory.Path, "go-exec.sh");
        Assert.Equal(new Sparring.Sandboxes.SandboxMount(directory.Path, GoInstrumentation.SandboxDirectory, ReadOnly: true), mount);
        Assert.StartsWith("#!/bin/bash\n", File.ReadAllText(script), StringComparison.Ordinal);
        Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.OtherExecute));
    }

    [Fact]
    public void Unfinished_ListOfBinaryPaths_FileNamesWithoutBlankLines()
    {
        // Arrange
        using var missing = new TempDirectory();
        using var results = new TempDirectory();
        results.Write(GoInstrumentation.UnfinishedName, "/tmp/go-build1/b001/stats.test\n\n/tmp/go-build1/b002/parse.test\n");

        // Act
        var none = GoInstrumentation.Unfinished(missing.Path);
        var unfinished = GoInstrumentation.Unfinished(results.Path);

        // Assert
        Assert.Empty(none);
        Assert.Equal(["stats.test", "parse.test"], unfinished);
    }
}
