using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary>The environment options every verb that runs tests shares, and the settings file they meet.</summary>
public sealed class EnvironmentCommandOptionsTests
{
    /// <summary>Each verb that runs tests.</summary>
    public static TheoryData<string> Verbs => new() { "probe", "exec", "inject", "validate", "grade", "solve", "selfplay", "serve" };

    /// <summary>The verb with the arguments it needs (none of which exist) and <paramref name="options"/>, before exec's "--".</summary>
    private static string[] Args(string verb, params string[] options) => verb switch
    {
        "exec" => ["exec", "/nonexistent/repo", .. options, "--", "true"],
        "validate" or "solve" => [verb, "/nonexistent/repo", "/nonexistent/artifact", .. options],
        "grade" => ["grade", "/nonexistent/repo", "/nonexistent/artifact", "/nonexistent/patch.diff", .. options],
        "serve" => ["serve", .. options],
        _ => [verb, "/nonexistent/repo", .. options],
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Parse_EveryVerbThatRunsTests_AcceptsTheSameEnvironmentOptions(string verb)
    {
        // Arrange
        var root = SparringCli.Root(new CliConsole(TextWriter.Null, TextWriter.Null));
        var args = Args(
            verb,
            "--test-cmd", "make check", "--parser", "tap",
            "--env", "A=1", "--env", "B=x=y",
            "--setup-cmd", "make deps", "--setup-cmd", "make gen",
            "--build-property", "Configuration=Release", "--build-property", "Optimize=true",
            "--config", "settings.toml");

        // Act
        var parsed = root.Parse(args);

        // Assert
        Assert.Empty(parsed.Errors);
        Assert.Equal(verb, parsed.CommandResult.Command.Name);
        Assert.Equal("make check", parsed.GetValue<string?>("--test-cmd"));
        Assert.Equal("tap", parsed.GetValue<string?>("--parser"));
        Assert.Equal(["A=1", "B=x=y"], parsed.GetValue<string[]>("--env")!);
        Assert.Equal(["make deps", "make gen"], parsed.GetValue<string[]>("--setup-cmd")!);
        Assert.Equal(["Configuration=Release", "Optimize=true"], parsed.GetValue<string[]>("--build-property")!);
        Assert.Equal("settings.toml", parsed.GetValue<string?>("--config"));
    }

    [Fact]
    public void Parse_Export_RunsNoTestsAndTakesNoEnvironmentOptions()
    {
        // Act
        var parsed = SparringCli.Root(new CliConsole(TextWriter.Null, TextWriter.Null)).Parse(["export", "/run", "--format", "rl", "--env", "A=1"]);

        // Assert
        Assert.NotEmpty(parsed.Errors);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Run_MalformedEnvironmentOption_ExitsTwoNamingItBeforeAnyWork(string verb)
    {
        // Act: the repository does not exist, so anything done before reading the options would say so instead.
        var noEquals = await CliRunner.RunAsync(Args(verb, "--env", "CI"));
        var badName = await CliRunner.RunAsync(Args(verb, "--build-property", "1X=2"));
        var badVariable = await CliRunner.RunAsync(Args(verb, "--env", "A-B=1"));
        var badParser = await CliRunner.RunAsync(Args(verb, "--parser", "nunit"));

        // Assert
        Assert.Equal(2, noEquals.ExitCode);
        Assert.Contains("--env takes NAME=VALUE, got 'CI'", noEquals.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("--build-property 1X=2: '1X' is no MSBuild property name", badName.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badVariable.ExitCode);
        Assert.Contains("--env A-B=1: 'A-B' is no environment variable name", badVariable.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badParser.ExitCode);
        Assert.Contains("unknown parser 'nunit'", badParser.Stderr, StringComparison.Ordinal);
        Assert.All([noEquals, badName, badVariable, badParser], o => Assert.DoesNotContain("git repository", o.Stderr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_SettingsFileAndOptions_SetupEnvironmentAndTestCommandAreWhatRuns()
    {
        // Arrange: an uncommitted sparring.toml at the repository's root.
        using var repo = PythonRepo();
        repo.Write("sparring.toml", """
            test-command = "cat setup.txt; echo \"run $MARK\"; python3 -m pytest -rA -v -p no:cacheprovider"
            setup-commands = ["echo \"prepared $MARK\" > setup.txt"]
            [env]
            MARK = "from-file"
            """);

        // Act
        var fromFile = await CliRunner.RunAsync("probe", repo.Path, "--json", "--log");
        var fromOption = await CliRunner.RunAsync("probe", repo.Path, "--json", "--log", "--env", "MARK=from-cli");

        // Assert
        Assert.Equal(0, fromFile.ExitCode);
        using var file = JsonDocument.Parse(fromFile.Stdout);
        Assert.Equal("custom", file.RootElement.GetProperty("runner").GetString());
        Assert.Equal("pytest", file.RootElement.GetProperty("parser").GetString());
        Assert.Contains("prepared from-file\nrun from-file\n", file.RootElement.GetProperty("log").GetString(), StringComparison.Ordinal);
        Assert.Equal(["echo \"prepared $MARK\" > setup.txt"], file.RootElement.GetProperty("environment").GetProperty("setup").EnumerateArray().Select(s => s.GetString()));
        Assert.False(file.RootElement.GetProperty("uncommittedChanges").GetBoolean());
        Assert.Contains($"sparring: settings: {Path.Combine(repo.Path, "sparring.toml")}", fromFile.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, fromOption.ExitCode);
        using var option = JsonDocument.Parse(fromOption.Stdout);
        Assert.Contains("prepared from-cli\nrun from-cli\n", option.RootElement.GetProperty("log").GetString(), StringComparison.Ordinal);
        Assert.False(option.RootElement.GetProperty("environment").GetProperty("reused").GetBoolean());
    }

    [Fact]
    public async Task Exec_ConfigOption_ItsSettingsReachTheSandbox()
    {
        // Arrange: the repository's own file is ignored when --config names another.
        using var repo = PythonRepo();
        repo.Write("sparring.toml", "[env]\nMARK = \"own\"\n");
        using var elsewhere = new TempDirectory();
        var config = elsewhere.Write("ci.toml", "setup-commands = [\"echo \\\"set up with $MARK\\\" > setup.txt\"]\n[env]\nMARK = \"given\"\n");

        // Act
        var outcome = await CliRunner.RunAsync("exec", repo.Path, "--config", config, "--", "bash", "-c", "cat setup.txt; echo \"now $MARK\"");
        var missing = await CliRunner.RunAsync("exec", repo.Path, "--config", Path.Combine(elsewhere.Path, "none.toml"), "--", "true");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("set up with given\nnow given\n", outcome.Stdout);
        Assert.Contains($"sparring: settings: {config}", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.toml' does not exist", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_BadSettingsFile_ExitsTwoNamingTheFileKeyAndLine()
    {
        // Arrange
        using var repo = PythonRepo();
        repo.Write("sparring.toml", "parser = \"pytest\"\n\n[env]\nJOBS = 4\n");

        // Act
        var probe = await CliRunner.RunAsync("probe", repo.Path, "--json");
        var exec = await CliRunner.RunAsync("exec", repo.Path, "--", "true");

        // Assert
        var expected = $"{Path.Combine(repo.Path, "sparring.toml")} line 4: [env] JOBS must be a string, got an integer";
        Assert.Equal(2, probe.ExitCode);
        Assert.Contains(expected, probe.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(probe.Stdout);
        Assert.StartsWith(expected, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, exec.ExitCode);
        Assert.Contains(expected, exec.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_WriteConfig_WritesWhatWasFoundOnceAndReadsBackToTheSameRun()
    {
        // Arrange
        using var repo = PythonRepo();
        var file = Path.Combine(repo.Path, "sparring.toml");

        // Act
        var written = await CliRunner.RunAsync("probe", repo.Path, "--json", "--env", "CI=1", "--timeout", "77", "--write-config");
        var text = await File.ReadAllTextAsync(file);
        var refused = await CliRunner.RunAsync("probe", repo.Path, "--env", "CI=2", "--write-config");
        var unchanged = await File.ReadAllTextAsync(file);
        var readBack = await CliRunner.RunAsync("probe", repo.Path, "--json");
        var forced = await CliRunner.RunAsync("probe", repo.Path, "--env", "CI=2", "--write-config", "--force");

        // Assert
        Assert.Equal(0, written.ExitCode);
        Assert.Contains($"sparring: wrote {file}", written.Stderr, StringComparison.Ordinal);
        Assert.Contains("\ntest-command = \"python3 -m pytest -rA -v -p no:cacheprovider --color=no --continue-on-collection-errors\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\nparser = \"pytest\"\n", text, StringComparison.Ordinal);
        Assert.Contains("\nsetup-commands = []\n", text, StringComparison.Ordinal);
        Assert.Contains("\ntimeout = 77\n", text, StringComparison.Ordinal);
        Assert.Contains("\n[env]\nCI = \"1\"\n", text, StringComparison.Ordinal);
        Assert.Contains("# Runner: pytest (", text, StringComparison.Ordinal);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("exists; pass --force to replace it", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("sparring: runner", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(text, unchanged);
        Assert.Equal(0, readBack.ExitCode);
        using var first = JsonDocument.Parse(written.Stdout);
        using var second = JsonDocument.Parse(readBack.Stdout);
        foreach (var field in new[] { "runner", "command", "parser" })
        {
            Assert.Equal(first.RootElement.GetProperty(field).GetString(), second.RootElement.GetProperty(field).GetString());
        }

        Assert.Equal(first.RootElement.GetProperty("environment").GetProperty("directory").GetString(), second.RootElement.GetProperty("environment").GetProperty("directory").GetString());
        Assert.True(second.RootElement.GetProperty("environment").GetProperty("reused").GetBoolean());
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("\n[env]\nCI = \"2\"\n", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inject_TestCommandOption_IsTheArtifactsTestScript()
    {
        // Arrange
        using var output = new TempDirectory();
        const string Command = "echo custom-run; python3 -m pytest -rA -v -p no:cacheprovider";

        // Act
        var outcome = await CliRunner.RunAsync(
            "inject", Samples.Path(Samples.Python), "--strategy", "history", "--count", "1", "--seed", "5", "--out", output.Path, "--test-cmd", Command);

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("1 valid artifact(s)", outcome.Stdout, StringComparison.Ordinal);
        Assert.Equal($"#!/bin/bash\n{Command}\n", await File.ReadAllTextAsync(Path.Combine(output.Path, "history-1", "test_script.sh")));
        Assert.Contains("\"parser\": \"pytest\"", await File.ReadAllTextAsync(Path.Combine(output.Path, "history-1", "metadata.json")), StringComparison.Ordinal);
    }

    /// <summary>A small committed Python project whose tests pass.</summary>
    private static TempGitRepo PythonRepo()
    {
        var repo = new TempGitRepo();
        repo.Write("calc/__init__.py", "")
            .Write("calc/ops.py", "def add(a, b):\n    total = a + b\n    return total\n\n\ndef double(x):\n    result = x * 2\n    return result\n")
            .Write("tests/test_ops.py", "import os\nfrom calc.ops import add, double\n\n\ndef test_add():\n    assert add(2, 3) == 5\n\n\ndef test_double():\n    assert double(4) == 8\n\n\ndef test_mark():\n    assert os.environ.get('MARK', 'x') != ''\n")
            .Commit("calc");
        return repo;
    }
}
