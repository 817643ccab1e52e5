using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

public sealed class EnvironmentSettingsFileTests
{
    private const string Path = "/repo/sparring.toml";

    [Fact]
    public void Parse_EveryKey_ReadsEachSetting()
    {
        // Arrange
        const string text = """
            # how this repository's tests run
            test-command = "make check 2>&1"
            parser = 'tap'
            setup-commands = ["make deps", "echo \"done\""]
            timeout = 900

            [env]
            CI = "true"
            GOFLAGS = "-mod=mod"

            [build-properties]
            Configuration = "Release"
            ContinuousIntegrationBuild = "true"
            """;

        // Act
        var settings = EnvironmentSettingsFile.Parse(text, Path);

        // Assert
        Assert.Equal("make check 2>&1", settings.TestCommand);
        Assert.Equal("tap", settings.Parser);
        Assert.Equal(["make deps", "echo \"done\""], settings.SetupCommands!);
        Assert.Equal(TimeSpan.FromSeconds(900), settings.Timeout);
        Assert.Equal(new Dictionary<string, string> { ["CI"] = "true", ["GOFLAGS"] = "-mod=mod" }, settings.Environment);
        Assert.Equal(new Dictionary<string, string> { ["Configuration"] = "Release", ["ContinuousIntegrationBuild"] = "true" }, settings.BuildProperties);
    }

    [Fact]
    public void Parse_EmptyFileAndInlineTables_LeaveUnsetKeysUnset()
    {
        // Act
        var empty = EnvironmentSettingsFile.Parse("# nothing said\n", Path);
        var inline = EnvironmentSettingsFile.Parse("env = { A = \"1\" }\nbuild-properties.Foo = \"bar\"\nsetup-commands = []\n", Path);

        // Assert
        Assert.Null(empty.TestCommand);
        Assert.Null(empty.Parser);
        Assert.Null(empty.SetupCommands);
        Assert.Null(empty.Timeout);
        Assert.Empty(empty.Environment);
        Assert.Empty(empty.BuildProperties);
        Assert.Equal("1", inline.Environment["A"]);
        Assert.Equal("bar", inline.BuildProperties["Foo"]);
        Assert.Empty(inline.SetupCommands!);
    }

    [Theory]
    [InlineData("parser = \"tap\"\ntest-cmd = \"make\"\n", 2, "unknown key 'test-cmd' (did you mean 'test-command'?)")]
    [InlineData("\n\n[environment]\nA = \"1\"\n", 3, "unknown key 'environment' (did you mean 'env'?)")]
    [InlineData("test-command = [\"make\"]\n", 1, "'test-command' must be a string, got an array")]
    [InlineData("parser = 'tap'\ntimeout = \"600\"\n", 2, "'timeout' must be a positive whole number of seconds, got a string")]
    [InlineData("timeout = 0\n", 1, "'timeout' must be a positive whole number of seconds, got 0")]
    [InlineData("timeout = 1.5\n", 1, "got a float")]
    [InlineData("setup-commands = \"npm ci\"\n", 1, "'setup-commands' must be an array of strings, got a string")]
    [InlineData("# a\nsetup-commands = [\"npm ci\", 3]\n", 2, "item 2 is an integer")]
    [InlineData("setup-commands = [\"  \"]\n", 1, "item 1 is empty")]
    [InlineData("test-command = \"\"\n", 1, "the test command is empty")]
    [InlineData("parser = \"nunit\"\n", 1, "unknown parser 'nunit'")]
    [InlineData("env = \"CI=1\"\n", 1, "'env' must be a table")]
    [InlineData("[env]\nCI = \"1\"\nJOBS = 4\n", 3, "[env] JOBS must be a string, got an integer (quote it: JOBS = \"4\")")]
    [InlineData("[env]\n\"1BAD\" = \"x\"\n", 2, "[env] '1BAD' is no environment variable name")]
    [InlineData("[build-properties]\n\"A;B\" = \"x\"\n", 2, "[build-properties] 'A;B' is no MSBuild property name")]
    [InlineData("[env]\nA = \"1\"\n[env]\nB = \"2\"\n", 3, "not valid TOML")]
    [InlineData("parser = 'tap'\ntest-command = \n", 2, "not valid TOML")]
    public void Parse_BadFile_NamesTheKeyAndLine(string text, int line, string expected)
    {
        // Act
        var error = Assert.Throws<EnvironmentSettingsException>(() => EnvironmentSettingsFile.Parse(text, Path));

        // Assert
        Assert.Equal(line, error.Line);
        Assert.Equal(Path, error.Path);
        Assert.StartsWith($"{Path} line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(error);
    }

    [Fact]
    public void Parse_RelativeParserScript_IsTakenRelativeToTheFile()
    {
        // Arrange
        using var dir = new TempDirectory();
        dir.Write("tools/parse.py", "print('{}')\n");
        var file = System.IO.Path.Combine(dir.Path, "sparring.toml");

        // Act
        var settings = EnvironmentSettingsFile.Parse("parser = \"script:tools/parse.py\"\n", file);
        var missing = Assert.Throws<EnvironmentSettingsException>(() => EnvironmentSettingsFile.Parse("parser = \"script:tools/none.py\"\n", file));

        // Assert
        Assert.Equal("script:" + System.IO.Path.Combine(dir.Path, "tools", "parse.py"), settings.Parser);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal(1, missing.Line);
    }

    [Fact]
    public void Format_Settings_ParsesBackToTheSameSettings()
    {
        // Arrange: values TOML must escape.
        var settings = new EnvironmentSettings
        {
            TestCommand = "pytest -k 'not slow' \\\n  --tb=short\t\"x\"",
            Parser = "pytest",
            SetupCommands = ["make deps", "echo \u0001 done"],
            Environment = new Dictionary<string, string> { ["PATH_EXTRA"] = "C:\\tools", ["EMPTY"] = "" },
            BuildProperties = new Dictionary<string, string> { ["Configuration"] = "Release" },
            Timeout = TimeSpan.FromSeconds(120),
        };

        // Act
        var text = EnvironmentSettingsFile.Format(settings, ["line one", "line two"]);
        var back = EnvironmentSettingsFile.Parse(text, Path);
        var none = EnvironmentSettingsFile.Parse(EnvironmentSettingsFile.Format(EnvironmentSettings.None, []), Path);

        // Assert
        Assert.Contains("# line one\n# line two\n", text, StringComparison.Ordinal);
        Assert.Equal(settings.TestCommand, back.TestCommand);
        Assert.Equal(settings.Parser, back.Parser);
        Assert.Equal(settings.SetupCommands, back.SetupCommands!);
        Assert.Equal(settings.Environment, back.Environment);
        Assert.Equal(settings.BuildProperties, back.BuildProperties);
        Assert.Equal(settings.Timeout, back.Timeout);
        Assert.Null(none.TestCommand);
        Assert.Null(none.SetupCommands);
        Assert.Empty(none.Environment);
    }

    [Fact]
    public async Task ResolveAsync_RepositoryFileOrConfig_ReadsTheRightOne()
    {
        // Arrange
        using var repo = new TempDirectory();
        using var elsewhere = new TempDirectory();
        var config = elsewhere.Write("other.toml", "parser = \"tap\"\n");

        // Act
        var (none, nonePath) = await EnvironmentSettingsFile.ResolveAsync(repo.Path, null);
        repo.Write(EnvironmentSettingsFile.FileName, "parser = \"pytest\"\n");
        var (own, ownPath) = await EnvironmentSettingsFile.ResolveAsync(repo.Path, null);
        var (given, givenPath) = await EnvironmentSettingsFile.ResolveAsync(repo.Path, config);
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => EnvironmentSettingsFile.ResolveAsync(repo.Path, System.IO.Path.Combine(elsewhere.Path, "none.toml")));

        // Assert
        Assert.Same(EnvironmentSettings.None, none);
        Assert.Null(nonePath);
        Assert.Equal("pytest", own.Parser);
        Assert.Equal(System.IO.Path.Combine(repo.Path, "sparring.toml"), ownPath);
        Assert.Equal("tap", given.Parser);
        Assert.Equal(config, givenPath);
        Assert.Contains("none.toml", missing.Message, StringComparison.Ordinal);
    }
}
