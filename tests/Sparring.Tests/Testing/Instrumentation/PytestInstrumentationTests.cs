using Sparring.Testing;
using Sparring.Testing.Instrumentation;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Instrumentation;

public sealed class PytestInstrumentationTests
{
    [Fact]
    public void Applies_RunnerOrScript_OnlyWhenEitherNamesPytest()
    {
        // Arrange
        var pytest = SketchEnvironments.With("pytest");
        var other = SketchEnvironments.With("go");

        // Act
        var byRunner = PytestInstrumentation.Applies(pytest, "make check");
        var byScript = PytestInstrumentation.Applies(other, "python -m pytest -rA tests");
        var neither = PytestInstrumentation.Applies(other, "go test ./...");

        // Assert
        Assert.True(byRunner);
        Assert.True(byScript);
        Assert.False(neither);
    }

    [Fact]
    public void Instrument_ExistingVariables_KeepsThemAfterThePlugin()
    {
        // Arrange
        var environment = SketchEnvironments.With(
            "pytest",
            new Dictionary<string, string> { ["PYTHONPATH"] = "/src" },
            new Dictionary<string, string> { ["PYTEST_ADDOPTS"] = "-x" });

        // Act
        var instrumented = PytestInstrumentation.Instrument(environment).Plan.Recipe.RunEnvironment;

        // Assert
        Assert.Equal(PytestInstrumentation.SandboxDirectory + ":/src", instrumented["PYTHONPATH"]);
        Assert.Equal("-x -p sparring_grader_plugin", instrumented["PYTEST_ADDOPTS"]);
        Assert.Equal(TestRunnerDetector.ResultsPath + "/" + PytestInstrumentation.ReportName, instrumented["SPARRING_GRADER_REPORT"]);
        Assert.Equal("-x", Assert.Single(environment.Plan.Recipe.RunEnvironment).Value);
    }

    [Fact]
    public async Task WritePluginAsync_Directory_WritesTheModuleAndMountsItReadOnly()
    {
        // Arrange
        using var directory = new TempDirectory();

        // Act
        var mount = await PytestInstrumentation.WritePluginAsync(directory.Path, CancellationToken.None);

        // Assert
        Assert.Equal(directory.Path, mount.HostPath);
        Assert.Equal(PytestInstrumentation.SandboxDirectory, mount.SandboxPath);
        Assert.True(mount.ReadOnly);
        Assert.Contains("def pytest_sessionfinish", directory.Read("sparring_grader_plugin.py"), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingValidOrForgedReport_NullOutcomesOrMalformed()
    {
        // Arrange
        using var missing = new TempDirectory();
        using var valid = new TempDirectory();
        valid.Write(PytestInstrumentation.ReportName, """{"exitstatus": 1, "tests": {"tests/test_a.py::test_one": "passed", "tests/test_a.py::test_two": "failed"}}""");
        using var forged = new TempDirectory();
        forged.Write(PytestInstrumentation.ReportName, "PASSED everything");

        // Act
        var none = PytestInstrumentation.Read(missing.Path);
        var report = PytestInstrumentation.Read(valid.Path);
        var malformed = PytestInstrumentation.Read(forged.Path);

        // Assert
        Assert.Null(none);
        Assert.NotNull(report);
        Assert.False(report.Malformed);
        Assert.Equal(1, report.ExitStatus);
        Assert.Equal("failed", report.Tests["tests/test_a.py::test_two"]);
        Assert.NotNull(malformed);
        Assert.True(malformed.Malformed);
        Assert.Empty(malformed.Tests);
    }
}
