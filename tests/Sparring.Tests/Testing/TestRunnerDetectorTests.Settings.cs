using System.Text.Json;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>Settings laid over detection: what each one changes, which one wins, and the pinned settings' round trip.</summary>
public sealed partial class TestRunnerDetectorTests
{
    private const string TestProject = """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" /></ItemGroup></Project>""";

    [Fact]
    public void Plan_NoSettings_IsTheDetectedPlan()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n");

        // Act
        var detected = TestRunnerDetector.Detect(tree.Path);
        var planned = TestRunnerDetector.Plan(tree.Path, EnvironmentSettings.None);

        // Assert
        Assert.Equal(Json(detected), Json(planned));
        Assert.Equal(EnvironmentPreparer.RecipeHash(detected.Recipe), EnvironmentPreparer.RecipeHash(planned.Recipe));
    }

    [Fact]
    public void Plan_EverySetting_ChangesWhatRunsAndTheEnvironmentKey()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n");
        tree.Write("go.sum", "example.com/y v1.0.0 h1:abc=\n");
        var detected = TestRunnerDetector.Detect(tree.Path);
        var settings = new EnvironmentSettings
        {
            TestCommand = "go test -json ./pkg/...",
            SetupCommands = ["go mod download", "go generate ./..."],
            Environment = new Dictionary<string, string> { ["GOFLAGS"] = "-tags=integration", ["GOPROXY"] = "file:///proxy" },
            Timeout = TimeSpan.FromSeconds(42),
        };

        // Act
        var plan = TestRunnerDetector.Plan(tree.Path, settings);

        // Assert
        Assert.Equal("custom", plan.Runner);
        Assert.Equal("test command given; environment prepared as for go", plan.Reason);
        Assert.Equal("go test -json ./pkg/...", plan.Command.Command);
        Assert.Equal("go-test-json", plan.Command.Parser);
        Assert.Equal(TimeSpan.FromSeconds(42), plan.Command.Timeout);
        Assert.Equal(["go mod download", "go generate ./..."], plan.Recipe.SetupCommands);
        Assert.Equal("-tags=integration", plan.Recipe.Environment["GOFLAGS"]);
        Assert.Equal("/sparring/go-build", plan.Recipe.Environment["GOCACHE"]);
        // Runs read RunEnvironment over Environment: the user's value wins there too; others stay.
        Assert.Equal("file:///proxy", plan.Recipe.RunEnvironment["GOPROXY"]);
        Assert.Equal("off", plan.Recipe.RunEnvironment["GOSUMDB"]);
        Assert.Equal(detected.Recipe.Caches, plan.Recipe.Caches);
        Assert.NotEqual(EnvironmentPreparer.RecipeHash(detected.Recipe), EnvironmentPreparer.RecipeHash(plan.Recipe));
        Assert.NotEqual(
            EnvironmentPreparer.RecipeHash(TestRunnerDetector.Plan(tree.Path, settings with { SetupCommands = ["go mod download"] }).Recipe),
            EnvironmentPreparer.RecipeHash(plan.Recipe));
        Assert.NotEqual(
            EnvironmentPreparer.RecipeHash(TestRunnerDetector.Plan(tree.Path, settings with { Environment = new Dictionary<string, string> { ["GOFLAGS"] = "-tags=other" } }).Recipe),
            EnvironmentPreparer.RecipeHash(plan.Recipe));
    }

    [Fact]
    public void Plan_ParserOnly_KeepsTheDetectedCommand()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("test_a.py", "def test_a(): pass\n");

        // Act
        var plan = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { Parser = "junit" });
        var same = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { TestCommand = TestRunnerDetector.Detect(tree.Path).Command.Command });

        // Assert
        Assert.Equal("pytest", plan.Runner);
        Assert.StartsWith("python3 -m pytest", plan.Command.Command, StringComparison.Ordinal);
        Assert.Equal("junit", plan.Command.Parser);
        // A test command equal to the detected one is no override.
        Assert.Equal("pytest", same.Runner);
    }

    [Fact]
    public void Plan_NoRunnerButATestCommand_PlansIt()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("Makefile", "check:\n\ttrue\n");

        // Act
        var missing = Assert.Throws<NoTestRunnerException>(() => TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { Parser = "tap" }));
        var plan = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { TestCommand = "make check", Parser = "tap", SetupCommands = ["make deps"] });
        var none = TestRunnerDetector.PlanOrNone(tree.Path, new EnvironmentSettings { SetupCommands = ["make deps"], Environment = new Dictionary<string, string> { ["A"] = "1" } });

        // Assert
        Assert.Equal(tree.Path, missing.Tree);
        Assert.Equal("custom", plan.Runner);
        Assert.Equal("test command given", plan.Reason);
        Assert.Equal(["make deps"], plan.Recipe.SetupCommands);
        Assert.Equal("none", none.Runner);
        Assert.Equal("true", none.Command.Command);
        Assert.Equal(["make deps"], none.Recipe.SetupCommands);
        Assert.Equal("1", none.Recipe.Environment["A"]);
    }

    [Fact]
    public void Plan_BuildProperties_ReachTheDetectedDotnetRestoreBuildAndTest()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("App.sln", "");
        tree.Write("tests/T/T.csproj", TestProject);
        var properties = new Dictionary<string, string> { ["Configuration"] = "Release", ["DefineConstants"] = "A;B C" };

        // Act
        var plan = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { BuildProperties = properties });
        var custom = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { BuildProperties = properties, TestCommand = "dotnet test App.sln --logger trx", SetupCommands = ["dotnet restore App.sln"] });

        // Assert
        // Discovery's own properties first, the user's last (MSBuild takes the last value given).
        const string Flags = " -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -p:EnablePackageValidation=false -p:Configuration=Release '-p:DefineConstants=A;B C'";
        Assert.Equal("dotnet", plan.Runner);
        Assert.Equal("dotnet restore tests/T/T.csproj -nologo --ignore-failed-sources" + Flags, plan.Recipe.SetupCommands[0]);
        Assert.Equal("dotnet build tests/T/T.csproj --no-restore -nologo -nodeReuse:false -p:UseSharedCompilation=false" + Flags + " || true", plan.Recipe.SetupCommands[1]);
        Assert.Equal("dotnet test tests/T/T.csproj --no-restore -nologo -nodeReuse:false -p:UseSharedCompilation=false" + Flags + " --logger trx --results-directory /sparring/results", plan.Command.Command);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("build properties", StringComparison.Ordinal));
        Assert.NotEqual(EnvironmentPreparer.RecipeHash(TestRunnerDetector.Detect(tree.Path).Recipe), EnvironmentPreparer.RecipeHash(plan.Recipe));
        // Commands the user gives are theirs: not edited, and the properties reaching nothing is said.
        Assert.Equal("dotnet test App.sln --logger trx", custom.Command.Command);
        Assert.Equal(["dotnet restore App.sln"], custom.Recipe.SetupCommands);
        Assert.Contains(custom.Warnings, w => w.Contains("build properties reach no command", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_BuildPropertiesWithoutDotnet_Warns()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n");

        // Act
        var plan = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { BuildProperties = new Dictionary<string, string> { ["A"] = "1" } });

        // Assert
        Assert.Equal("go test -json -count=1 ./...", plan.Command.Command);
        Assert.Contains(plan.Warnings, w => w.Contains("no .NET solution or test project", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_BadSetting_IsAnArgumentError()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n");

        // Act
        var parser = Assert.Throws<ArgumentException>(() => TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { Parser = "nunit" }));
        var variable = Assert.Throws<ArgumentException>(() => TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { Environment = new Dictionary<string, string> { ["A-B"] = "1" } }));
        var timeout = Assert.Throws<ArgumentException>(() => TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { Timeout = TimeSpan.Zero }));

        // Assert
        Assert.Contains("unknown parser 'nunit'", parser.Message, StringComparison.Ordinal);
        Assert.Contains("'A-B' is no environment variable name", variable.Message, StringComparison.Ordinal);
        Assert.Contains("timeout must be positive", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_CommandLineOverFileOverDetection_EachKeyFromTheHighestThatSetsIt()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("test_a.py", "def test_a(): pass\n");
        var file = EnvironmentSettingsFile.Parse(
            """
            test-command = "python3 -m pytest -rA -v tests/unit"
            setup-commands = ["echo from-file"]
            timeout = 100
            [env]
            A = "file"
            B = "file"
            """,
            "/r/sparring.toml");
        var commandLine = new EnvironmentSettings { Parser = "junit", Environment = new Dictionary<string, string> { ["B"] = "cli", ["C"] = "cli" } };

        // Act
        var plan = TestRunnerDetector.Plan(tree.Path, commandLine.Over(file));
        var cliCommand = TestRunnerDetector.Plan(tree.Path, (commandLine with { TestCommand = "make test" }).Over(file));

        // Assert
        Assert.Equal("python3 -m pytest -rA -v tests/unit", plan.Command.Command);
        Assert.Equal("junit", plan.Command.Parser);
        Assert.Equal(["echo from-file"], plan.Recipe.SetupCommands);
        Assert.Equal(TimeSpan.FromSeconds(100), plan.Command.Timeout);
        Assert.Equal("file", plan.Recipe.Environment["A"]);
        Assert.Equal("cli", plan.Recipe.Environment["B"]);
        Assert.Equal("cli", plan.Recipe.Environment["C"]);
        Assert.Equal("make test", cliCommand.Command.Command);
        Assert.Equal("junit", cliCommand.Command.Parser);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("properties")]
    [InlineData("custom")]
    [InlineData("setup")]
    public void Discovered_WrittenAndReadBack_PlansTheSame(string variant)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("App.sln", "");
        tree.Write("tests/T/T.csproj", TestProject);
        var properties = new Dictionary<string, string> { ["Configuration"] = "Release" };
        var settings = variant switch
        {
            "properties" => new EnvironmentSettings { BuildProperties = properties, Environment = new Dictionary<string, string> { ["CI"] = "1" }, Timeout = TimeSpan.FromSeconds(30) },
            "custom" => new EnvironmentSettings { TestCommand = "dotnet test App.sln --logger trx", BuildProperties = properties },
            "setup" => new EnvironmentSettings { SetupCommands = ["dotnet restore App.sln -nologo", "dotnet tool restore"], BuildProperties = properties },
            _ => EnvironmentSettings.None,
        };
        var expected = TestRunnerDetector.Plan(tree.Path, settings);

        // Act
        var discovered = TestRunnerDetector.Discovered(tree.Path, settings);
        var text = EnvironmentSettingsFile.Format(discovered, []);
        var back = TestRunnerDetector.Plan(tree.Path, EnvironmentSettingsFile.Parse(text, "/r/sparring.toml"));

        // Assert
        Assert.Equal(Json(expected), Json(back));
        Assert.Equal(EnvironmentPreparer.RecipeHash(expected.Recipe), EnvironmentPreparer.RecipeHash(back.Recipe));
        Assert.Equal(expected.Command.Timeout, back.Command.Timeout);
        Assert.NotNull(discovered.TestCommand);
        Assert.NotNull(discovered.Parser);
        Assert.NotNull(discovered.SetupCommands);
        // What detection found is written as detection writes it; the properties are said once, in their table.
        Assert.DoesNotContain("-p:Configuration", text, StringComparison.Ordinal);
    }

    private static string Json(TestPlan plan) => JsonSerializer.Serialize(plan, TestingJsonContext.Default.TestPlan);
}
