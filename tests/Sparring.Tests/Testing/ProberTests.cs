using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>End to end on the bundled samples: real snapshots, real preparation, real runners in bubblewrap.</summary>
public sealed class ProberTests
{
    private static Prober NewProber() => new(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root));

    [Theory]
    [InlineData(Samples.Python, "pytest", 91, 1, "tests/test_pricing.py::test_quote_in_foreign_currency")]
    [InlineData(Samples.Go, "go", 93, 1, "example.com/textkit/wrap/TestWrapHyphenatesLongWords")]
    [InlineData(Samples.JavaScript, "node", 69, 1, "test/reports.test.js > reports > balanceSheet > revalues foreign-currency balances at the closing rate")]
    [InlineData(Samples.CSharp, "dotnet", 75, 1, null)]
    public async Task ProbeAsync_Sample_ReportsEveryTestAndLeavesTheRepositoryUntouched(string sample, string runner, int passed, int skipped, string? skippedId)
    {
        // Arrange
        var path = Samples.Path(sample);
        var statusBefore = GitStatus(path);

        // Act
        var result = await NewProber().ProbeAsync(path, new ProbeOptions());

        // Assert
        Assert.Equal(runner, result.Plan.Runner);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(0, result.Run.ExitCode);
        Assert.Equal(new TestCounts(passed, 0, skipped, 0, 0), result.Run.Counts);
        Assert.Empty(result.Run.Disagreements);
        Assert.Equal(result.Run.Tests.Count, result.Run.Tests.Select(t => t.Id).Distinct().Count());
        if (skippedId is not null)
        {
            Assert.Equal(TestStatus.Skipped, Assert.Single(result.Run.Tests, t => t.Id == skippedId).Status);
        }

        Assert.All(result.Run.Tests, t => Assert.DoesNotContain("/repo/", t.Id, StringComparison.Ordinal));
        Assert.Equal(statusBefore, GitStatus(path));
        Assert.False(result.UncommittedChanges);
    }

    [Fact]
    public async Task ProbeAsync_SecondProbe_ReusesThePreparedEnvironment()
    {
        // Arrange
        var path = Samples.Path(Samples.Go);
        await NewProber().ProbeAsync(path, new ProbeOptions());

        // Act
        var again = await NewProber().ProbeAsync(path, new ProbeOptions());

        // Assert
        Assert.True(again.Environment.Reused);
        Assert.True(File.Exists(Path.Combine(again.Environment.Directory, "prepared.json")));
        Assert.True(again.Run.AllPassed);
    }

    [Fact]
    public async Task ProbeAsync_EarlierCommit_RunsThatCommitsTree()
    {
        // Arrange: the sample's first commit has fewer tests than HEAD.
        var path = Samples.Path(Samples.Python);
        var first = TempGitRepo.RunGit(path, ["rev-list", "--max-parents=0", "HEAD"]).Trim();

        // Act
        var result = await NewProber().ProbeAsync(path, new ProbeOptions { Revision = first });

        // Assert
        Assert.Equal(first, result.Commit);
        Assert.True(result.Run.SuiteRan);
        Assert.InRange(result.Run.Counts.Total, 1, 90);
    }

    [Fact]
    public async Task ProbeAsync_CustomCommandAndParserScript_UsesThem()
    {
        // Arrange: an SSR-style parser script reading the log on stdin.
        using var scripts = new TempDirectory();
        var parser = scripts.Write("parse.py", """
            import json, sys
            results = {}
            for line in sys.stdin:
                if line.startswith("CASE "):
                    _, name, status = line.split()
                    results[name] = status
            print(json.dumps(results))
            """);
        var path = Samples.Path(Samples.Python);
        var options = new ProbeOptions { Settings = new EnvironmentSettings { TestCommand = "echo 'CASE a passed'; echo 'CASE b failed'; exit 1", Parser = "script:" + parser } };

        // Act
        var result = await NewProber().ProbeAsync(path, options);

        // Assert
        Assert.Equal("custom", result.Plan.Runner);
        Assert.Equal(1, result.Run.ExitCode);
        Assert.Equal(new TestCounts(1, 1, 0, 0, 0), result.Run.Counts);
        Assert.True(result.Run.SuiteRan);
        Assert.False(result.Run.AllPassed);
        Assert.Empty(result.Run.Disagreements);
    }

    [Fact]
    public async Task ProbeAsync_CommandThatRunsNothing_SaysTheSuiteDidNotRun()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var result = await NewProber().ProbeAsync(path, new ProbeOptions { Settings = new EnvironmentSettings { TestCommand = "echo all good", Parser = "pytest" } });

        // Assert
        Assert.Equal(0, result.Run.ExitCode);
        Assert.False(result.Run.SuiteRan);
        Assert.False(result.Run.AllPassed);
        Assert.Contains(result.Run.Disagreements, d => d.Contains("exited 0 but no test result", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_SuiteFillsTheWorkspace_RunSaysDiskFullNamingTheQuotaAndTheOption()
    {
        // Arrange: a suite that writes past the workspace's quota before running its tests.
        var path = Samples.Path(Samples.Python);
        var options = new ProbeOptions
        {
            Settings = new EnvironmentSettings { TestCommand = "head -c 50000000 /dev/zero > fill.bin; python3 -m pytest -rA -v -p no:cacheprovider --color=no" },
            Workspaces = new WorkspaceOptions { DiskQuotaBytes = 12L << 20 },
        };

        // Act
        var result = await NewProber().ProbeAsync(path, options);

        // Assert
        Assert.True(result.Run.DiskFull);
        Assert.Contains(result.Run.Warnings, w => w.Contains("disk quota (12 MiB) was reached", StringComparison.Ordinal) && w.Contains("--disk-quota", StringComparison.Ordinal));
        Assert.Contains("No space left on device", result.Run.Log, StringComparison.Ordinal);
        Assert.Equal(options.Workspaces, result.Environment.Workspaces);
    }

    [Fact]
    public async Task ProbeAsync_ExitCodeZeroWithFailures_ReportsTheDisagreement()
    {
        // Arrange: pytest's failures hidden behind "|| true".
        using var repo = new TempGitRepo();
        repo.Write("test_x.py", "def test_ok():\n    assert True\n\ndef test_bad():\n    assert 1 == 2\n").Commit("tests");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = new EnvironmentSettings { TestCommand = "python3 -m pytest -rA -v || true" } });

        // Assert
        Assert.Equal(0, result.Run.ExitCode);
        Assert.Equal(new TestCounts(1, 1, 0, 0, 0), result.Run.Counts);
        Assert.Contains(result.Run.Disagreements, d => d.Contains("exited 0 but 1 test(s) failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_HangingSuite_TimesOutAndSaysSo()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_hang.py", "import time\n\ndef test_hang():\n    time.sleep(600)\n").Commit("hang");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = new EnvironmentSettings { Timeout = TimeSpan.FromSeconds(3) } });

        // Assert
        Assert.True(result.Run.TimedOut);
        Assert.Equal(124, result.Run.ExitCode);
        Assert.False(result.Run.SuiteRan);
        Assert.Contains(result.Run.Disagreements, d => d.Contains("timed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeAsync_UncommittedChanges_ProbesTheCommitAndSaysSo()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_x.py", "def test_ok():\n    assert True\n").Commit("ok");
        repo.Write("test_x.py", "def test_ok():\n    assert False\n");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.True(result.UncommittedChanges);
        Assert.True(result.Run.AllPassed);
        Assert.Equal("def test_ok():\n    assert False\n", File.ReadAllText(Path.Combine(repo.Path, "test_x.py")));
    }

    [Fact]
    public async Task ProbeAsync_NodeTestsWithEqualNamesInTwoFiles_KeepsOneResultPerFile()
    {
        // Arrange: node's JUnit reporter would merge the two "parses" tests, hiding the failure behind the pass.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"dup","scripts":{"test":"npm run unit","unit":"node --test test/"}}""")
            .Write("test/a.test.js", "const { test } = require('node:test');\ntest('parses', () => {});\ntest('only in a', () => {});\n")
            .Write("test/b.test.js", "const { describe, it } = require('node:test');\nit('parses', () => { throw new Error('b is broken'); });\ndescribe('group', () => { it('parses', () => {}); });\n")
            .Commit("tests");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Equal("node", result.Plan.Runner);
        Assert.Equal(
            [("test/a.test.js > only in a", "passed"), ("test/a.test.js > parses", "passed"), ("test/b.test.js > group > parses", "passed"), ("test/b.test.js > parses", "failed")],
            result.Run.Tests.Select(t => (t.Id, t.Status.Value)).Order());
        Assert.Equal("Error: b is broken", result.Run.Tests.Single(t => t.Status == TestStatus.Failed).Message);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(1, result.Run.ExitCode);
        Assert.Empty(result.Run.Disagreements);
    }

    [Fact]
    public async Task ProbeAsync_Settings_SetupEnvironmentAndTestCommandAreWhatRuns()
    {
        // Arrange: setup writes a file with the variable's value; the test command prints both and runs pytest.
        using var repo = new TempGitRepo();
        repo.Write("test_x.py", "import os\n\ndef test_env():\n    assert os.environ['MARK'].startswith('mark-')\n").Commit("tests");
        EnvironmentSettings Settings(string mark) => new()
        {
            SetupCommands = ["echo \"prepared $MARK\" > setup.txt"],
            Environment = new Dictionary<string, string> { ["MARK"] = mark },
            TestCommand = "cat setup.txt; echo \"run $MARK\"; python3 -m pytest -rA -v -p no:cacheprovider",
        };

        // Act
        var first = await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = Settings("mark-1") });
        var again = await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = Settings("mark-1") });
        var changed = await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = Settings("mark-2") });

        // Assert
        Assert.Equal("custom", first.Plan.Runner);
        Assert.Equal("echo \"prepared $MARK\" > setup.txt", Assert.Single(first.Environment.Steps).Command);
        Assert.Contains("prepared mark-1\nrun mark-1\n", first.Run.Log, StringComparison.Ordinal);
        Assert.True(first.Run.AllPassed, first.Run.Log);
        Assert.Equal("test_x.py::test_env", Assert.Single(first.Run.Tests).Id);
        Assert.False(first.Environment.Reused);
        Assert.True(again.Environment.Reused);
        Assert.Equal(first.Environment.Directory, again.Environment.Directory);
        // A changed variable is another environment, prepared again: setup sees the new value.
        Assert.False(changed.Environment.Reused);
        Assert.NotEqual(first.Environment.Directory, changed.Environment.Directory);
        Assert.Contains("prepared mark-2\nrun mark-2\n", changed.Run.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repo.Path, "setup.txt")));
    }

    [Fact]
    public async Task ProbeAsync_BuildProperty_ReachesTheDotnetBuildOfSetupAndOfTheRun()
    {
        // Arrange: a project with no package to restore, whose build prints the property (no test framework: nothing to pass).
        using var repo = new TempGitRepo();
        repo.Write("Tiny.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsTestProject>true</IsTestProject></PropertyGroup>
              <Target Name="ShowMark" AfterTargets="Build"><Message Importance="high" Text="mark=$(Mark)" /></Target>
            </Project>
            """)
            .Write("X.cs", "namespace Tiny;\n\npublic static class X\n{\n    public static int One => 1;\n}\n")
            .Commit("tiny");
        var settings = new EnvironmentSettings { BuildProperties = new Dictionary<string, string> { ["Mark"] = "from-property" } };

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions { Settings = settings });

        // Assert
        Assert.Equal("dotnet", result.Plan.Runner);
        const string Discovered = " -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -p:EnablePackageValidation=false";
        Assert.Equal(["dotnet restore Tiny.csproj -nologo --ignore-failed-sources" + Discovered + " -p:Mark=from-property", "dotnet build Tiny.csproj --no-restore -nologo -nodeReuse:false -p:UseSharedCompilation=false" + Discovered + " -p:Mark=from-property || true"], result.Environment.Steps.Select(s => s.Command));
        Assert.Contains("mark=from-property", result.Environment.Steps[1].OutputTail, StringComparison.Ordinal);
        Assert.Contains("-p:Mark=from-property", result.Run.Command, StringComparison.Ordinal);
        Assert.Contains("mark=from-property", result.Run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NotARepository_FailsClearly()
    {
        // Arrange
        using var dir = new TempDirectory();

        // Act
        var error = await Assert.ThrowsAsync<NotAGitRepositoryException>(() => NewProber().ProbeAsync(dir.Path, new ProbeOptions()));

        // Assert
        Assert.Contains("is not a git repository", error.Message, StringComparison.Ordinal);
    }

    private static string GitStatus(string path) => TempGitRepo.RunGit(path, ["status", "--porcelain", "--ignored", "--untracked-files=all"]);
}
