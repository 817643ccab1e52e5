using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>
/// The diagnosis of real runs: small repositories made here, probed with the real runners in bubblewrap (pytest of
/// /usr/bin/python3, go, node --test). Captured logs of the slow and networked runners are in <see cref="LogDiagnoserTests"/>.
/// </summary>
public sealed class RunDiagnosisTests
{
    private const string PytestCommand = "python3 -m pytest -rA -v -p no:cacheprovider --color=no --continue-on-collection-errors";

    private static Prober NewProber() => new(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root));

    [Fact]
    public async Task Pytest_TestModuleImportsAModuleNotInstalled_NamesTheDebianPackage()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("tests/test_stock.py", "import sparring_absent_module\n\ndef test_stock():\n    assert sparring_absent_module.count() == 3\n").Commit("tests");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.Equal(new TestCounts(0, 0, 0, 1, 0), run.Counts);
        var diagnosis = Assert.IsType<RunDiagnosis>(run.Diagnosis);
        Assert.Equal(RunDiagnosisKinds.MissingModule, diagnosis.Kind);
        Assert.Equal("the Python module 'sparring_absent_module' is not installed", diagnosis.Cause);
        Assert.StartsWith("apt-get install python3-sparring-absent-module ", diagnosis.Suggestion, StringComparison.Ordinal);
        Assert.Contains("E   ModuleNotFoundError: No module named 'sparring_absent_module'", diagnosis.Excerpt);
        Assert.Contains(diagnosis.Excerpt, l => l.Contains("ERROR collecting tests/test_stock.py", StringComparison.Ordinal));
        Assert.Equal(1, run.ReportedTotal);
    }

    [Fact]
    public async Task Pytest_PackageFolderNotOnThePath_SuggestsACommandThatThenRuns()
    {
        // Arrange: the package lives in lib/ (discovery puts src/ and configured package dirs on the path, not lib/)
        // and is not installed (Sparring does not pip-install).
        using var repo = new TempGitRepo();
        repo.Write("lib/shelf/__init__.py", "def count():\n    return 3\n")
            .Write("tests/test_shelf.py", "import shelf\n\ndef test_count():\n    assert shelf.count() == 3\n")
            .Commit("src layout");

        // Act
        var first = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;
        var suggestion = first.Diagnosis?.Suggestion ?? "";
        var command = suggestion[(suggestion.IndexOf("--test-cmd \"", StringComparison.Ordinal) + 12)..^1];
        var fixedRun = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = new EnvironmentSettings { TestCommand = command } })).Run;

        // Assert
        Assert.Equal(RunDiagnosisKinds.ImportPath, first.Diagnosis?.Kind);
        Assert.Contains("lib/shelf", first.Diagnosis?.Cause, StringComparison.Ordinal);
        Assert.Equal($"PYTHONPATH=lib {PytestCommand}", command);
        Assert.True(fixedRun.AllPassed, fixedRun.Log);
        Assert.Null(fixedRun.Diagnosis);
    }

    [Fact]
    public async Task Pytest_ConfigurationNeedsAPluginNotInstalled_NamesThePlugin()
    {
        // Arrange: pytest-timeout is not installed; its option in addopts stops pytest before it collects anything.
        using var repo = new TempGitRepo();
        repo.Write("pytest.ini", "[pytest]\naddopts = --timeout=30\n").Write("test_a.py", "def test_a():\n    pass\n").Commit("config");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.False(run.SuiteRan);
        Assert.Equal(RunDiagnosisKinds.MissingPlugin, run.Diagnosis?.Kind);
        Assert.Contains("--timeout=30", run.Diagnosis?.Cause, StringComparison.Ordinal);
        Assert.Equal("apt-get install python3-pytest-timeout", run.Diagnosis?.Suggestion);
        Assert.Contains(run.Diagnosis!.Excerpt, l => l.Contains("unrecognized arguments: --timeout=30", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pytest_NothingCollected_SuggestsNamingTheTests()
    {
        // Arrange: the checks are named check_*.py, which pytest does not collect by default.
        using var repo = new TempGitRepo();
        repo.Write("pytest.ini", "[pytest]\n").Write("tests/check_a.py", "def test_a():\n    pass\n").Commit("checks");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.Equal(0, run.Counts.Total);
        Assert.Equal(RunDiagnosisKinds.NoTests, run.Diagnosis?.Kind);
        Assert.Equal($"name the tests: --test-cmd \"{PytestCommand} tests\"", run.Diagnosis?.Suggestion);
        Assert.Equal(0, run.ReportedTotal);
    }

    [Fact]
    public async Task Go_PackageDoesNotCompile_QuotesTheCompilerError()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("go.mod", "module example.com/shelf\n\ngo 1.19\n")
            .Write("shelf.go", "package shelf\n\nfunc Count() int { return undefinedCount }\n")
            .Write("shelf_test.go", "package shelf\n\nimport \"testing\"\n\nfunc TestCount(t *testing.T) {\n\tif Count() != 3 {\n\t\tt.Fatal(\"count\")\n\t}\n}\n")
            .Commit("broken");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.Equal(0, run.Counts.Passed + run.Counts.Failed);
        Assert.Equal(RunDiagnosisKinds.CompileError, run.Diagnosis?.Kind);
        Assert.Contains("does not compile: ./shelf.go:3:", run.Diagnosis?.Cause, StringComparison.Ordinal);
        Assert.Contains(run.Diagnosis!.Excerpt, l => l.Contains("undefined: undefinedCount", StringComparison.Ordinal));
        Assert.Null(run.ReportedTotal);
    }

    [Fact]
    public async Task Go_ImportOfAModuleGoModDoesNotRequire_SuggestsGoGet()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("go.mod", "module example.com/shelf\n\ngo 1.19\n")
            .Write("shelf.go", "package shelf\n\nimport \"example.org/absent/units\"\n\nfunc Count() int { return units.Three }\n")
            .Write("shelf_test.go", "package shelf\n\nimport \"testing\"\n\nfunc TestCount(t *testing.T) { _ = Count() }\n")
            .Commit("import");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.False(run.SuiteRan);
        Assert.Equal(RunDiagnosisKinds.Dependencies, run.Diagnosis?.Kind);
        Assert.Equal("go.mod requires no module that provides example.org/absent/units", run.Diagnosis?.Cause);
        Assert.Equal("go get example.org/absent/units in the repository and commit go.mod and go.sum", run.Diagnosis?.Suggestion);
    }

    [Fact]
    public async Task Node_TestRequiresAPackageNotDeclared_SuggestsDeclaringIt()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("package.json", "{ \"name\": \"shelf\", \"version\": \"1.0.0\", \"scripts\": { \"test\": \"node --test\" } }\n")
            .Write("test/shelf.test.js", "const pad = require('left-pad');\nconst test = require('node:test');\ntest('pads', () => {});\n")
            .Commit("tests");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.Equal(0, run.Counts.Passed);
        Assert.Equal(RunDiagnosisKinds.MissingModule, run.Diagnosis?.Kind);
        Assert.Equal("the package 'left-pad' is not installed: package.json does not declare it", run.Diagnosis?.Cause);
        Assert.Contains("add left-pad to package.json's devDependencies", run.Diagnosis?.Suggestion, StringComparison.Ordinal);
        Assert.Contains(run.Diagnosis!.Excerpt, l => l.Contains("Cannot find module 'left-pad'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PassingRun_HasNoDiagnosis()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_a.py", "def test_a():\n    pass\n\ndef test_b():\n    assert False\n").Commit("one of each");

        // Act
        var run = (await NewProber().ProbeAsync(repo.Path, new ProbeOptions())).Run;

        // Assert
        Assert.Equal(new TestCounts(1, 1, 0, 0, 0), run.Counts);
        Assert.Null(run.Diagnosis);
        Assert.Equal(2, run.ReportedTotal);
    }
}
