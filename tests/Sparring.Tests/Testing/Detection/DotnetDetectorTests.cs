using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

/// <summary>C# repositories that pass with their own SDK and used to fail here: restored from the mirror, built and tested with .NET 10.</summary>
public sealed class DotnetDetectorTests
{
    private const string Adder = "namespace Calc\n{\n    public static class Adder\n    {\n        public static int Add(int a, int b) => a + b;\n    }\n}\n";

    private const string AdderTests = """
        using Xunit;

        namespace Calc.Tests
        {
            public class AdderTests
            {
                [Fact]
                public void Add_Two_Sums() => Assert.Equal(5, Adder.Add(2, 3));

                [Fact]
                public void Add_Negative_Sums() => Assert.Equal(-1, Adder.Add(2, -3));
            }
        }
        """;

    private static Prober NewProber() => new(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root));

    private static string TestProject(string framework, string testSdk, string xunit, string runner) => $$"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>{{framework}}</TargetFramework>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="{{testSdk}}" />
            <PackageReference Include="xunit" Version="{{xunit}}" />
            <PackageReference Include="xunit.runner.visualstudio" Version="{{runner}}" />
          </ItemGroup>
          <ItemGroup>
            <ProjectReference Include="../../src/Calc/Calc.csproj" />
          </ItemGroup>
        </Project>
        """;

    private static TempGitRepo CalcRepository(string libraryFrameworks, string testProject)
    {
        var repo = new TempGitRepo();
        repo.Write("src/Calc/Calc.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFrameworks>{libraryFrameworks}</TargetFrameworks>\n  </PropertyGroup>\n</Project>\n")
            .Write("src/Calc/Adder.cs", Adder)
            .Write("tests/Calc.Tests/Calc.Tests.csproj", testProject)
            .Write("tests/Calc.Tests/AdderTests.cs", AdderTests)
            .Write("Calc.slnx", "<Solution>\n  <Project Path=\"src/Calc/Calc.csproj\" />\n  <Project Path=\"tests/Calc.Tests/Calc.Tests.csproj\" />\n</Solution>\n");
        return repo;
    }

    private static void AssertBothTestsPassed(ProbeResult result)
    {
        Assert.True(result.Run.SuiteRan, result.Run.Evidence + "\n" + string.Join("\n", result.Run.Disagreements));
        Assert.Equal(0, result.Run.ExitCode);
        Assert.Equal(
            [("Calc.Tests.AdderTests.Add_Negative_Sums", TestStatus.Passed), ("Calc.Tests.AdderTests.Add_Two_Sums", TestStatus.Passed)],
            result.Run.Tests.Select(t => (t.Id, t.Status)).Order());
    }

    [Fact]
    public async Task ProbeAsync_PinnedVersionsMissingFromTheFeedWithWarningsAsErrors_RestoresAndRuns()
    {
        // Arrange: the pinned test packages are not served (NU1603: a newer one is resolved), the repository makes every
        // warning an error, and its NuGet.Config adds a feed that cannot be reached.
        using var repo = CalcRepository("net10.0", TestProject("net10.0", "17.3.1", "2.4.3", "2.4.4"));
        repo.Write("Directory.Build.props", "<Project>\n  <PropertyGroup>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n  </PropertyGroup>\n</Project>\n")
            .Write("NuGet.Config", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <add key=\"corp\" value=\"https://nuget.corp.invalid/v3/index.json\" />\n  </packageSources>\n</configuration>\n")
            .Commit("warnings as errors");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains("--ignore-failed-sources", result.Plan.Recipe.SetupCommands[0], StringComparison.Ordinal);
        // The restore succeeds although every warning is an error (NU1603 for the pins, NU1801 for the feed); its
        // output's tail may be all NU1801 retries, so the exit code, not the text, is what is checked.
        var restore = Assert.Single(result.Environment.Steps, s => s.Command.StartsWith("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore.ExitCode == 0, restore.OutputTail);
        Assert.DoesNotContain("TargetFramework=", result.Plan.Command.Command, StringComparison.Ordinal);
        AssertBothTestsPassed(result);
    }

    [Fact]
    public async Task ProbeAsync_TestProjectForAnOldFramework_BuildsAndRunsOnTheInstalledRuntime()
    {
        // Arrange: a net6.0 test project over a netstandard2.0/net6.0 library; only the .NET 10 runtime is installed.
        using var repo = CalcRepository("netstandard2.0;net6.0", TestProject("net6.0", "17.3.2", "2.4.2", "2.4.5"));
        repo.Commit("old framework");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains("-p:TargetFramework=net10.0 -p:TargetFrameworks=net10.0", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains(result.Plan.Warnings, w => w.Contains("net6.0", StringComparison.Ordinal) && w.Contains("net10.0", StringComparison.Ordinal));
        Assert.Equal("Major", result.Plan.Recipe.Environment["DOTNET_ROLL_FORWARD"]);
        AssertBothTestsPassed(result);
    }

    [Fact]
    public async Task ProbeAsync_TestProjectForNet9AndNetFramework_BuildsForNet9AndRunsOnTheInstalledRuntime()
    {
        // Arrange: net48 cannot be built here; net9.0 can, and its test host rolls forward onto the installed runtime.
        using var repo = CalcRepository("netstandard2.0;net9.0", TestProject("net9.0;net48", "17.3.2", "2.4.2", "2.4.5")
            .Replace("TargetFramework>", "TargetFrameworks>", StringComparison.Ordinal));
        repo.Commit("net9.0 and .NET Framework");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains("-p:TargetFramework=net9.0 -p:TargetFrameworks=net9.0", result.Plan.Command.Command, StringComparison.Ordinal);
        AssertBothTestsPassed(result);
    }

    [Theory]
    [InlineData("net10.0", "netstandard2.0;net10.0", "")]
    [InlineData("net48", "net10.0", "net48")]
    [InlineData("net8.0;net10.0", "netstandard2.0", "net8.0")]
    public void Detect_TargetFrameworks_RetargetsOnlyWhatTheInstalledRuntimeCannotRun(string testFrameworks, string libraryFrameworks, string foreign)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("Lib/Lib.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFrameworks>{libraryFrameworks}</TargetFrameworks></PropertyGroup></Project>");
        tree.Write("Lib.Tests/Lib.Tests.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFrameworks>{testFrameworks}</TargetFrameworks><IsTestProject>true</IsTestProject></PropertyGroup></Project>");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Contains("-p:TreatWarningsAsErrors=false -p:WarningsAsErrors=", plan.Recipe.SetupCommands[0], StringComparison.Ordinal);
        Assert.Equal(foreign.Length > 0, plan.Command.Command.Contains("-p:TargetFrameworks=net10.0", StringComparison.Ordinal));
        Assert.Equal(foreign.Length > 0, plan.Recipe.SetupCommands.All(c => c.Contains("-p:TargetFramework=net10.0", StringComparison.Ordinal)));
        Assert.Equal(foreign.Length > 0, plan.Warnings.Any(w => w.Contains(foreign, StringComparison.Ordinal) && w.StartsWith("Lib.Tests/Lib.Tests.csproj targets", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("net9.0;net8.0;net48;net462", "-p:TargetFramework=net9.0 -p:TargetFrameworks=net9.0", "built for net9.0 and run on the installed runtime (net10.0) by rolling forward")]
    [InlineData("net48;net8.0", "-p:TargetFramework=net8.0 -p:TargetFrameworks=net8.0", "built for net8.0")]
    [InlineData("net8.0", null, null)]
    [InlineData("net461;netcoreapp3.1", "-p:TargetFramework=net10.0 -p:TargetFrameworks=net10.0", "built and tested for net10.0, the installed runtime")]
    public void Detect_TestProjectForARecentFrameworkBesideOldOnes_BuildsForTheNewestRecentOneAndRollsForward(string frameworks, string? properties, string? warning)
    {
        // Arrange: .NET 10 adds APIs that make some calls written for net9.0 ambiguous, so a net9.0 project stays net9.0.
        using var tree = new TempDirectory();
        tree.Write("Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup></Project>");
        tree.Write("Lib.Tests/Lib.Tests.csproj", $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFrameworks>{frameworks}</TargetFrameworks><IsTestProject>true</IsTestProject></PropertyGroup></Project>");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("Major", plan.Recipe.Environment["DOTNET_ROLL_FORWARD"]);
        Assert.Equal("0", plan.Recipe.Environment["DOTNET_TieredPGO"]);
        if (properties is null)
        {
            Assert.DoesNotContain("TargetFramework", plan.Command.Command, StringComparison.Ordinal);
            Assert.DoesNotContain(plan.Warnings, w => w.Contains("targets", StringComparison.Ordinal));
            return;
        }

        Assert.Contains(properties, plan.Command.Command, StringComparison.Ordinal);
        Assert.All(plan.Recipe.SetupCommands, c => Assert.Contains(properties, c, StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.StartsWith($"Lib.Tests/Lib.Tests.csproj targets {frameworks.Replace(";", ", ", StringComparison.Ordinal)}; {warning}", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_FrameworksSetOnlyOnWindowsOrOnlyInALibrary_DoNotRetarget()
    {
        // Arrange: net48 is added only on Windows; the library multi-targets frameworks of its own, which MSBuild
        // chooses among by itself (a global TargetFramework would also force an analyzer's netstandard2.0 away).
        using var tree = new TempDirectory();
        tree.Write("src/Gen/Gen.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup></Project>");
        tree.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFrameworks>net10.0;net8.0;net48</TargetFrameworks></PropertyGroup></Project>");
        tree.Write("src/Lib.Tests/Lib.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks Condition="'$(OS)' == 'Windows_NT'">net10.0;net48</TargetFrameworks>
                <TargetFrameworks Condition="'$(OS)' != 'Windows_NT'">net10.0</TargetFrameworks>
              </PropertyGroup>
              <ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" /></ItemGroup>
            </Project>
            """);

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.DoesNotContain("TargetFramework", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("targets", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_TestProjectsBesideOthers_RunsEachTestProjectNotTheSolution()
    {
        // Arrange: a solution with a sample project; the test packages of one test project come from a Directory.Build.props.
        using var tree = new TempDirectory();
        tree.Write("All.sln", "");
        tree.Write("samples/Demo/Demo.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Not.Served\" Version=\"1.0.0\" /></ItemGroup></Project>");
        tree.Write("tests/A.Tests/A.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>");
        tree.Write("tests/Directory.Build.props", "<Project><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>");
        tree.Write("tests/B.Tests/B.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        tree.Write("Directory.Build.props", "<Project><ItemGroup Condition=\"'$(IsTestProject)' == 'true'\"><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>");
        tree.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("2 test projects", plan.Reason);
        Assert.DoesNotContain("All.sln", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("Demo", string.Join("\n", plan.Recipe.SetupCommands), StringComparison.Ordinal);
        Assert.Contains("dotnet test tests/A.Tests/A.Tests.csproj", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("dotnet test tests/B.Tests/B.Tests.csproj", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("src/Lib", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("dotnet restore tests/A.Tests/A.Tests.csproj", plan.Recipe.SetupCommands[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_TestPackagesThroughAnImportChosenByProperty_TakesTheProjectsNamedOrPlacedLikeTests()
    {
        // Arrange: Directory.Build.targets imports eng/$(ProjectType).targets; test projects say <ProjectType>Test</ProjectType>.
        using var tree = new TempDirectory();
        tree.Write("All.slnx", "<Solution />");
        tree.Write("Directory.Build.targets", "<Project><Import Project=\"$(MsBuildThisFileDirectory)eng/$(ProjectType).targets\" Condition=\"$(ProjectType) != ''\" /></Project>");
        tree.Write("eng/Test.targets", "<Project><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>");
        tree.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><ProjectType>Library</ProjectType></PropertyGroup></Project>");
        tree.Write("test/Lib.Specs/Lib.Specs.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><ProjectType>Test</ProjectType></PropertyGroup></Project>");
        tree.Write("src/Lib.Tests/Lib.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><ProjectType>Test</ProjectType></PropertyGroup></Project>");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("2 test projects", plan.Reason);
        Assert.Contains("dotnet test src/Lib.Tests/Lib.Tests.csproj", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("dotnet test test/Lib.Specs/Lib.Specs.csproj", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("src/Lib/Lib.csproj", plan.Command.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_SolutionWithAnUnrestorableSampleAndTwoTestProjects_RunsBothTestProjects()
    {
        // Arrange: the solution's sample needs a package no feed has; the second test project multi-targets only on Windows.
        using var repo = CalcRepository("netstandard2.0;net10.0", TestProject("net10.0", "17.3.2", "2.4.2", "2.4.5"));
        repo.Write("samples/Demo/Demo.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n  <ItemGroup><PackageReference Include=\"Sparring.Not.Served.Anywhere\" Version=\"1.0.0\" /></ItemGroup>\n</Project>\n")
            .Write("Calc.slnx", "<Solution>\n  <Project Path=\"samples/Demo/Demo.csproj\" />\n  <Project Path=\"src/Calc/Calc.csproj\" />\n  <Project Path=\"tests/Calc.Tests/Calc.Tests.csproj\" />\n  <Project Path=\"tests/More.Tests/More.Tests.csproj\" />\n</Solution>\n")
            .Write("tests/More.Tests/More.Tests.csproj", TestProject("net10.0", "17.3.2", "2.4.2", "2.4.5")
                .Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks Condition=\"'$(OS)' == 'Windows_NT'\">net10.0;net48</TargetFrameworks>\n    <TargetFramework Condition=\"'$(OS)' != 'Windows_NT'\">net10.0</TargetFramework>", StringComparison.Ordinal))
            .Write("tests/More.Tests/MoreTests.cs", "using Xunit;\n\nnamespace More.Tests\n{\n    public class MoreTests\n    {\n        [Fact]\n        public void Add_Zero_Keeps() => Assert.Equal(2, Calc.Adder.Add(2, 0));\n    }\n}\n")
            .Commit("samples and a second test project");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.True(result.Run.SuiteRan, result.Run.Evidence + "\n" + string.Join("\n", result.Run.Disagreements));
        Assert.Equal(
            ["Calc.Tests.AdderTests.Add_Negative_Sums", "Calc.Tests.AdderTests.Add_Two_Sums", "More.Tests.MoreTests.Add_Zero_Keeps"],
            result.Run.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).Order());
        Assert.DoesNotContain("TargetFramework", result.Plan.Command.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_TwoTestProjectsWithArtifactsOutput_FindsTheirRestoreUnderArtifactsAndRunsBoth()
    {
        // Arrange: UseArtifactsOutput moves obj/ to artifacts/obj/<project>/; the run must not take them for unrestored.
        using var repo = CalcRepository("net10.0", TestProject("net10.0", "17.3.2", "2.4.2", "2.4.5"));
        repo.Write("Directory.Build.props", "<Project>\n  <PropertyGroup><UseArtifactsOutput>true</UseArtifactsOutput></PropertyGroup>\n</Project>\n")
            .Write("tests/More.Tests/More.Tests.csproj", TestProject("net10.0", "17.3.2", "2.4.2", "2.4.5"))
            .Write("tests/More.Tests/MoreTests.cs", "using Xunit;\n\nnamespace More.Tests\n{\n    public class MoreTests\n    {\n        [Fact]\n        public void Add_Zero_Keeps() => Assert.Equal(2, Calc.Adder.Add(2, 0));\n    }\n}\n")
            .Commit("artifacts output and a second test project");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains("[ -f artifacts/obj/More.Tests/project.assets.json ]", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(new TestCounts(3, 0, 0, 0, 0), result.Run.Counts);
    }

    [Fact]
    public async Task ProbeAsync_LibraryValidatedAgainstABaselinePackageNoFeedHas_RestoresAndRuns()
    {
        // Arrange: package validation restores the baseline version of the library's own package, which no feed serves.
        using var repo = CalcRepository("net10.0", TestProject("net10.0", "17.3.2", "2.4.2", "2.4.5"));
        repo.Write("src/Calc/Calc.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>Sparring.Not.Served.Calc</PackageId>
                <EnablePackageValidation>true</EnablePackageValidation>
                <PackageValidationBaselineVersion>1.0.0</PackageValidationBaselineVersion>
              </PropertyGroup>
            </Project>
            """).Commit("package validation");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains("-p:EnablePackageValidation=false", result.Plan.Recipe.SetupCommands[0], StringComparison.Ordinal);
        AssertBothTestsPassed(result);
    }

    [Fact]
    public async Task ProbeAsync_GlobalJsonPinsAnSdkNotInstalled_BuildsWithTheInstalledOne()
    {
        // Arrange: CI would install the pinned SDK; here only the installed one exists.
        using var repo = CalcRepository("net10.0", TestProject("net10.0", "17.3.2", "2.4.2", "2.4.5"));
        repo.Write("global.json", $$"""{ "sdk": { "version": "{{GlobalJsonPinTests.UnsatisfiablePin()}}", "rollForward": "latestPatch" } }""")
            .Commit("pin the SDK");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains(result.Plan.Warnings, w => w.StartsWith("global.json asks for the .NET SDK", StringComparison.Ordinal));
        AssertBothTestsPassed(result);
    }

    [Fact]
    public void Detect_TestingPlatformChosenInGlobalJson_UsesItsCommandLineAndEachFrameworksReport()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("global.json", """{ "test": { "runner": "Microsoft.Testing.Platform" } }""");
        tree.Write("test/A.Tests/A.Tests.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit.v3.mtp-v2" /></ItemGroup></Project>""");
        tree.Write("test/B.Tests/B.Tests.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="TUnit" /></ItemGroup></Project>""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Contains("dotnet test --project test/A.Tests/A.Tests.csproj --no-restore", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("--report-xunit-trx --results-directory", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("dotnet test --project test/B.Tests/B.Tests.csproj --no-restore", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains(" --report-trx --results-directory", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("--logger", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("-nologo", plan.Command.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_TestingPlatformWithXunitV3AndTUnit_RunsBoth()
    {
        // Arrange: global.json switches dotnet test to Microsoft.Testing.Platform; VSTest's -nologo or --logger made
        // both test applications run nothing (exit 5).
        using var repo = new TempGitRepo();
        repo.Write("global.json", """{ "test": { "runner": "Microsoft.Testing.Platform" } }""")
            .Write("src/Calc/Calc.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n</Project>\n")
            .Write("src/Calc/Adder.cs", Adder)
            .Write("test/X.Tests/X.Tests.csproj", PlatformProject("xunit.v3.mtp-v2", "4.0.3"))
            .Write("test/X.Tests/AdderTests.cs", "using Xunit;\n\nnamespace X.Tests;\n\npublic class AdderTests\n{\n    [Fact]\n    public void Add_Sums() => Assert.Equal(5, Calc.Adder.Add(2, 3));\n}\n")
            .Write("test/T.Tests/T.Tests.csproj", PlatformProject("TUnit", "1.86.0"))
            .Write("test/T.Tests/AdderTests.cs", "namespace T.Tests;\n\npublic class AdderTests\n{\n    [Test]\n    public async Task Add_Sums() => await Assert.That(Calc.Adder.Add(2, 3)).IsEqualTo(5);\n}\n")
            .Commit("testing platform");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.True(result.Run.SuiteRan, result.Run.Evidence + "\n" + string.Join("\n", result.Run.Disagreements));
        Assert.Equal(2, result.Run.Tests.Count(t => t.Status == TestStatus.Passed));
        Assert.Contains(result.Run.Tests, t => t.Id.Contains("X.Tests", StringComparison.Ordinal));
        Assert.Contains(result.Run.Tests, t => t.Id.Contains("T.Tests", StringComparison.Ordinal));
    }

    private static string PlatformProject(string package, string version) => $$"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Exe</OutputType>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="{{package}}" Version="{{version}}" />
            <ProjectReference Include="../../src/Calc/Calc.csproj" />
          </ItemGroup>
        </Project>
        """;
}
