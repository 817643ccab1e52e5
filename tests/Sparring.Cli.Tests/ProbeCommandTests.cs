using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ProbeCommandTests
{
    [Fact]
    public async Task Probe_JsonOnSample_PrintsTheDocumentedFieldsAndExitsZero()
    {
        // Arrange
        var path = Samples.Path(Samples.Go);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path, "--json");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        var root = json.RootElement;
        Assert.Equal("go", root.GetProperty("runner").GetString());
        Assert.Equal("go.mod", root.GetProperty("reason").GetString());
        Assert.Equal(["repository", "commit", "uncommittedChanges", "runner", "reason", "command"], root.EnumerateObject().Take(6).Select(p => p.Name));
        Assert.Equal("go test -json -count=1 ./...", root.GetProperty("command").GetString());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.True(root.GetProperty("durationMs").GetDouble() > 0);
        var counts = root.GetProperty("counts");
        Assert.Equal(93, counts.GetProperty("passed").GetInt32());
        Assert.Equal(0, counts.GetProperty("failed").GetInt32());
        Assert.Equal(1, counts.GetProperty("skipped").GetInt32());
        Assert.Equal(0, counts.GetProperty("error").GetInt32());
        var tests = root.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(94, tests.Count);
        Assert.All(tests, t => Assert.False(string.IsNullOrEmpty(t.GetProperty("id").GetString())));
        Assert.Contains(tests, t => t.GetProperty("status").GetString() == "skipped");
        Assert.True(root.GetProperty("suiteRan").GetBoolean());
        Assert.Contains("sparring: runner: go", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_TableOnSample_PrintsPerTestRowsAndSummary()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path);

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("runner      pytest", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("skipped  tests/test_pricing.py::test_quote_in_foreign_currency", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("92 tests: 91 passed, 0 failed, 1 skipped, 0 error; exit code 0", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("suite ran: yes", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_FailingTests_ExitsOne()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_x.py", "def test_ok():\n    pass\n\ndef test_bad():\n    assert 0\n").Commit("x");

        // Act
        var outcome = await CliRunner.RunAsync("probe", repo.Path);

        // Assert
        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("failed   test_x.py::test_bad", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 tests: 1 passed, 1 failed", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NothingRan_ExitsThree()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path, "--test-cmd", "true", "--parser", "pytest", "--json");

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.False(json.RootElement.GetProperty("suiteRan").GetBoolean());
        Assert.NotEmpty(json.RootElement.GetProperty("disagreements").EnumerateArray());
    }

    [Fact]
    public async Task Probe_TestModuleFailsToImport_SaysWhyAndWhatToTryAndExitsThree()
    {
        // Arrange
        using var repo = EmptyWorkRepos.ImportFails();

        // Act
        var text = await CliRunner.RunAsync("probe", repo.Path);
        var json = await CliRunner.RunAsync("probe", repo.Path, "--json");
        var withLog = await CliRunner.RunAsync("probe", repo.Path, "--log");

        // Assert: the error lines and a fix by default; the whole log only with --log.
        Assert.Equal(3, text.ExitCode);
        var lines = text.Stdout.Split('\n');
        Assert.Contains("error    test_stock.py", lines);
        Assert.Contains("why: the Python module 'sparring_absent_module' is not installed", lines);
        Assert.Contains("     E   ModuleNotFoundError: No module named 'sparring_absent_module'", lines);
        Assert.Contains("try: apt-get install python3-sparring-absent-module (tests run with the system Python, /usr/bin/python3; Sparring does not pip-install)", lines);
        Assert.True(Array.IndexOf(lines, "why: the Python module 'sparring_absent_module' is not installed") > Array.FindIndex(lines, l => l.StartsWith("suite ran:", StringComparison.Ordinal)));
        Assert.DoesNotContain("Hint: make sure your test modules", text.Stdout, StringComparison.Ordinal);
        Assert.InRange(lines.Count(l => l.StartsWith("     ", StringComparison.Ordinal)), 1, 8);
        Assert.Equal(3, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        var diagnosis = document.RootElement.GetProperty("diagnosis");
        Assert.Equal("missing-module", diagnosis.GetProperty("kind").GetString());
        Assert.Equal("the Python module 'sparring_absent_module' is not installed", diagnosis.GetProperty("cause").GetString());
        Assert.Contains("E   ModuleNotFoundError: No module named 'sparring_absent_module'", diagnosis.GetProperty("excerpt").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("apt-get install python3-sparring-absent-module", diagnosis.GetProperty("suggestion").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, document.RootElement.GetProperty("reportedTotal").GetInt32());
        Assert.Contains("Hint: make sure your test modules", withLog.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_PassingSuite_PrintsNoWhyAndNoDiagnosisField()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_x.py", "def test_ok():\n    pass\n").Commit("x");

        // Act
        var text = await CliRunner.RunAsync("probe", repo.Path);
        var json = await CliRunner.RunAsync("probe", repo.Path, "--json");

        // Assert
        Assert.Equal(0, text.ExitCode);
        Assert.DoesNotContain("why:", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("try:", text.Stdout, StringComparison.Ordinal);
        Assert.False(JsonDocument.Parse(json.Stdout).RootElement.TryGetProperty("diagnosis", out _));
    }

    [Fact]
    public async Task Probe_RestoreFailsForAPackageNoFeedHas_SaysWhyAndWhatToTryAndExitsFour()
    {
        // Arrange: a test project whose only package source is an empty folder in the repository.
        using var repo = new TempGitRepo();
        repo.Write("nuget.config", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <clear />\n    <add key=\"local\" value=\"feed\" />\n  </packageSources>\n</configuration>\n")
            .Write("feed/.keep", "")
            .Write("Shelf.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n    <IsTestProject>true</IsTestProject>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include=\"Sparring.Absent.Package\" Version=\"1.2.3\" />\n  </ItemGroup>\n</Project>\n")
            .Commit("a project with a package nobody serves");

        // Act
        var text = await CliRunner.RunAsync("probe", repo.Path);
        var json = await CliRunner.RunAsync("probe", repo.Path, "--json");

        // Assert
        Assert.Equal(4, text.ExitCode);
        var lines = text.Stderr.Split('\n');
        var error = Array.FindIndex(lines, l => l.StartsWith("sparring: error: ", StringComparison.Ordinal));
        Assert.Equal("sparring: error: Environment setup failed: 'dotnet restore Shelf.Tests.csproj -nologo --ignore-failed-sources -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -p:EnablePackageValidation=false' exited 1.", lines[error]);
        Assert.Equal("why: no configured NuGet feed has the package Sparring.Absent.Package", lines[error + 1]);
        Assert.Contains(lines, l => l.StartsWith("     ", StringComparison.Ordinal) && l.Contains("error NU1101: Unable to find package Sparring.Absent.Package", StringComparison.Ordinal));
        Assert.Contains("try: add the feed that has it to nuget.config, or fix the package's name", lines);
        Assert.Equal(4, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal("dependencies", document.RootElement.GetProperty("diagnosis").GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("--parser", "nonsense")]
    [InlineData("--timeout", "0")]
    [InlineData("--bogus-option", "x")]
    public async Task Probe_BadArguments_ExitsTwoWithMessage(string option, string value)
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("probe", path, option, value);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal("", outcome.Stdout);
    }

    [Fact]
    public async Task Probe_NotARepository_ExitsTwo()
    {
        // Arrange
        using var dir = new TempDirectory();

        // Act
        var outcome = await CliRunner.RunAsync("probe", dir.Path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("is not a git repository", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NoRunner_ExitsThreeAndExplains()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("README.md", "nothing to test\n").Commit("docs");

        // Act
        var outcome = await CliRunner.RunAsync("probe", repo.Path);

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("No supported test runner found", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("--test-cmd", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_JsonAndAnError_PrintsTheErrorAsJsonOnStdout()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("README.md", "nothing to test\n").Commit("docs");

        // Act
        var outcome = await CliRunner.RunAsync("probe", repo.Path, "--json");

        // Assert
        Assert.Equal(3, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.StartsWith("No supported test runner found", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_Runs_ReportsTheTestThatFlipsAndNotTheStableOne()
    {
        // Arrange: one test passes or fails on a fair coin; over 20 runs it keeps one status with probability 2^-19.
        using var repo = new TempGitRepo();
        repo.Write("tests/test_coin.py", "import os\n\ndef test_coin():\n    assert os.urandom(1)[0] % 2 == 0\n\ndef test_stable():\n    assert True\n").Commit("init");

        // Act
        var json = await CliRunner.RunAsync("probe", repo.Path, "--runs", "20", "--json");
        var table = await CliRunner.RunAsync("probe", Samples.Path(Samples.Python), "--runs", "2");
        var tooMany = await CliRunner.RunAsync("probe", repo.Path, "--runs", "51");

        // Assert
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(20, document.RootElement.GetProperty("runs").GetInt32());
        var flaky = Assert.Single(document.RootElement.GetProperty("flaky").EnumerateArray());
        Assert.Equal("tests/test_coin.py::test_coin", flaky.GetProperty("test").GetString());
        var statuses = flaky.GetProperty("statuses").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Equal(20, statuses.Count);
        Assert.Contains("passed", statuses);
        Assert.Contains("failed", statuses);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("flaky over 2 runs: none", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("--runs must be between 1 and 50", tooMany.Stderr, StringComparison.Ordinal);
    }
}
