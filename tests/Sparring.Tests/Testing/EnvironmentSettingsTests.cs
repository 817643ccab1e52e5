using Sparring.Testing;

namespace Sparring.Tests.Testing;

public sealed class EnvironmentSettingsTests
{
    [Fact]
    public void Over_BothSetSome_UpperWinsKeyByKeyAndTablesMerge()
    {
        // Arrange
        var lower = new EnvironmentSettings
        {
            TestCommand = "make test",
            Parser = "tap",
            SetupCommands = ["make deps"],
            Environment = new Dictionary<string, string> { ["A"] = "lower", ["B"] = "lower" },
            BuildProperties = new Dictionary<string, string> { ["Configuration"] = "Debug" },
            Timeout = TimeSpan.FromSeconds(10),
        };
        var upper = new EnvironmentSettings
        {
            Parser = "junit",
            Environment = new Dictionary<string, string> { ["B"] = "upper" },
            BuildProperties = new Dictionary<string, string> { ["Configuration"] = "Release", ["Optimize"] = "true" },
        };

        // Act
        var merged = upper.Over(lower);
        var same = EnvironmentSettings.None.Over(lower);

        // Assert
        Assert.Equal("make test", merged.TestCommand);
        Assert.Equal("junit", merged.Parser);
        Assert.Equal(["make deps"], merged.SetupCommands!);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "lower", ["B"] = "upper" }, merged.Environment);
        Assert.Equal(new Dictionary<string, string> { ["Configuration"] = "Release", ["Optimize"] = "true" }, merged.BuildProperties);
        Assert.Equal(TimeSpan.FromSeconds(10), merged.Timeout);
        Assert.Equal(lower.Environment, same.Environment);
        Assert.Equal(lower.SetupCommands, same.SetupCommands!);
        // An empty setup list is a setting (no setup at all), not "unset".
        Assert.Empty(new EnvironmentSettings { SetupCommands = [] }.Over(lower).SetupCommands!);
    }

    [Theory]
    [InlineData("command", "the test command is empty")]
    [InlineData("setup", "the setup command is empty")]
    [InlineData("parser", "unknown parser 'xunit'")]
    [InlineData("script", "the parser script '/nonexistent/p.py' does not exist")]
    [InlineData("env", "'2X' is no environment variable name")]
    [InlineData("property", "'-p' is no MSBuild property name")]
    [InlineData("timeout", "the timeout must be positive, got -1 s")]
    public void Validate_BadSetting_SaysWhichAndWhy(string which, string expected)
    {
        // Arrange
        var settings = which switch
        {
            "command" => new EnvironmentSettings { TestCommand = " " },
            "setup" => new EnvironmentSettings { SetupCommands = ["ok", ""] },
            "parser" => new EnvironmentSettings { Parser = "xunit" },
            "script" => new EnvironmentSettings { Parser = "script:/nonexistent/p.py" },
            "env" => new EnvironmentSettings { Environment = new Dictionary<string, string> { ["2X"] = "1" } },
            "property" => new EnvironmentSettings { BuildProperties = new Dictionary<string, string> { ["-p"] = "1" } },
            _ => new EnvironmentSettings { Timeout = TimeSpan.FromSeconds(-1) },
        };

        // Act
        var error = Assert.Throws<ArgumentException>(() => settings.Validate());

        // Assert
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Same(EnvironmentSettings.None, EnvironmentSettings.None.Validate());
    }
}
