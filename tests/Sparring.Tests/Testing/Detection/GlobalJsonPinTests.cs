using Sparring.Testing;
using Sparring.Testing.Detection;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

/// <summary>global.json SDK pins judged as the dotnet host judges them, and stepped around when nothing installed meets them.</summary>
public sealed class GlobalJsonPinTests
{
    [Theory]
    [InlineData("10.0.100", "latestPatch", "10.0.105", true)]
    [InlineData("10.0.100", "latestPatch", "10.0.401", false)]
    [InlineData("10.0.100", "patch", "10.0.199", true)]
    [InlineData("10.0.100", "latestFeature", "10.0.401", true)]
    [InlineData("10.0.100", "latestFeature", "10.1.100", false)]
    [InlineData("9.0.100", "latestMinor", "10.0.100", false)]
    [InlineData("9.0.100", "latestMajor", "10.0.100", true)]
    [InlineData("10.0.401", "latestMajor", "10.0.400", false)]
    [InlineData("10.0.401", "disable", "10.0.401", true)]
    [InlineData("10.0.401", "disable", "10.0.402", false)]
    [InlineData("11.0.100-preview.6.1", "latestFeature", "10.0.401", false)]
    public void Satisfies_FollowsTheRollForwardPolicy(string wanted, string policy, string installed, bool expected)
    {
        // Arrange
        Assert.True(GlobalJsonPin.TryParse(wanted, out var w));
        Assert.True(GlobalJsonPin.TryParse(installed, out var have));

        // Act
        var satisfied = GlobalJsonPin.Satisfies(have, w, policy);

        // Assert
        Assert.Equal(expected, satisfied);
    }

    [Theory]
    [InlineData("""{ "sdk": { "version": "10.0.100" } }""", true)]
    [InlineData("""{ "sdk": { "version": "10.0.100", "rollForward": "latestMajor" } }""", false)]
    [InlineData("""{ "msbuild-sdks": { "X": "1.0.0" } }""", false)]
    [InlineData("""{ /* comment */ "sdk": { "version": "10.0.300", "rollForward": "latestFeature", }, }""", false)]
    [InlineData("not json", false)]
    public void Unsatisfied_ReadsTheRootGlobalJson(string globalJson, bool unsatisfied)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("global.json", globalJson);

        // Act
        var pin = GlobalJsonPin.Unsatisfied(tree.Path, ["10.0.401"]);

        // Assert
        Assert.Equal(unsatisfied, pin is not null);
    }

    [Fact]
    public void Detect_PinNoInstalledSdkMeets_RunsEveryDotnetCommandOutsideTheRepository()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("global.json", $$"""{ "sdk": { "version": "{{UnsatisfiablePin()}}", "rollForward": "latestPatch" } }""");
        tree.Write("tests/A Tests/A.Tests.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" /></ItemGroup></Project>""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.StartsWith("cd /tmp && { dotnet test \"$OLDPWD\"/'tests/A Tests/A.Tests.csproj' --no-restore", plan.Command.Command, StringComparison.Ordinal);
        Assert.All(plan.Recipe.SetupCommands, c => Assert.StartsWith("cd /tmp && { dotnet ", c, StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.StartsWith("global.json asks for the .NET SDK", StringComparison.Ordinal));
    }

    /// <summary>A pin in the installed SDK's next feature band, which latestPatch never reaches.</summary>
    internal static string UnsatisfiablePin()
    {
        var newest = DotnetFrameworks.InstalledSdks.Select(v => GlobalJsonPin.TryParse(v, out var p) ? p : default).Max();
        return $"{newest.Major}.{newest.Minor}.{(newest.Band + 1) * 100}";
    }
}
