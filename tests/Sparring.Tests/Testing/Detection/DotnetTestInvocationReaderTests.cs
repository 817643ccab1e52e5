using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

/// <summary>The test projects a .NET repository's CI names are the ones run; the others are left as its CI leaves them.</summary>
public sealed class DotnetTestInvocationReaderTests
{
    private const string TestProject = "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>";

    private static TempDirectory ThreeTestProjects()
    {
        var tree = new TempDirectory();
        tree.Write("Lib.sln", "");
        tree.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        tree.Write("test/Lib.Tests/Lib.Tests.csproj", TestProject);
        tree.Write("test/Lib.ApprovalTests/Lib.ApprovalTests.csproj", TestProject);
        tree.Write("test/Lib.Benchmarks/Lib.Benchmarks.csproj", TestProject);
        return tree;
    }

    private static List<string> TestedProjects(TestPlan plan) =>
        plan.Command.Command.Split("dotnet test ").Skip(1).Select(c => c.Split(' ')[0]).ToList();

    [Fact]
    public void Detect_WorkflowStartsABuildScriptThatLoopsOverAGlob_RunsOnlyTheProjectsTheGlobMatches()
    {
        // Arrange: the Serilog layout: ci.yml runs ./Build.ps1, which tests test/*.Tests one by one; benchmarks have a script CI never starts.
        using var tree = ThreeTestProjects();
        tree.Write(".github/workflows/ci.yml", "jobs:\n  build:\n    steps:\n      - uses: actions/checkout@v5\n      - name: Build\n        shell: pwsh\n        run: |\n          ./Build.ps1\n");
        tree.Write("Build.ps1", """
            Push-Location $PSScriptRoot
            & dotnet restore --no-cache
            foreach ($src in Get-ChildItem src/*) {
                Push-Location $src
                & dotnet pack -c Release -o ../../artifacts
                Pop-Location
            }

            foreach ($test in Get-ChildItem test/*.Tests) {
                Push-Location $test

                Write-Output "build: Testing project in $test"
                & dotnet test -c Release --no-build
                if($LASTEXITCODE -ne 0) { throw "Testing failed" }

                Pop-Location
            }
            Pop-Location
            """);
        tree.Write("Benchmark.ps1", "foreach ($test in ls test/*.Benchmarks) {\n    Push-Location $test\n    & dotnet test -c Release\n    Pop-Location\n}\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(["test/Lib.Tests/Lib.Tests.csproj"], TestedProjects(plan));
        Assert.Equal("test/Lib.Tests/Lib.Tests.csproj, as Build.ps1 runs them", plan.Reason);
    }

    [Theory]
    [InlineData("appveyor.yml", "test_script:\n  - sh: dotnet test -c:release -f:net6.0 test/Lib.Tests\n")]
    [InlineData("build.ps1", "Task Test {\n    Exec { dotnet test --no-build -c release \"test\\Lib.Tests\" }\n}\n")]
    [InlineData(".github/workflows/test.yml", "jobs:\n  t:\n    steps:\n      - run: dotnet test test/Lib.Tests/Lib.Tests.csproj --configuration Release --no-build -f net10.0\n      # - run: dotnet test test/Lib.Benchmarks\n")]
    [InlineData(".github/workflows/test.yml", "jobs:\n  t:\n    steps:\n      - run: dotnet test --no-build\n        working-directory: test/Lib.Tests\n")]
    [InlineData(".github/workflows/test.yml", "jobs:\n  t:\n    steps:\n      - run: |\n          cd test\n          for d in *.Tests; do\n            (cd \"$d\" && dotnet test)\n          done\n")]
    public void Detect_CiNamesOneTestProject_RunsThatOne(string file, string content)
    {
        // Arrange: a build script counts only when CI starts it.
        using var tree = ThreeTestProjects();
        tree.Write(file, content);
        if (file == "build.ps1")
        {
            tree.Write(".gitlab-ci.yml", "test:\n  script:\n    - pwsh ./build.ps1 -Task Test\n");
        }

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(["test/Lib.Tests/Lib.Tests.csproj"], TestedProjects(plan));
    }

    [Fact]
    public void Detect_CakeBuildTestsTheProjectsAGlobFinds_RunsThoseProjects()
    {
        // Arrange: the workflow starts the Cake bootstrapper; cake.cs tests ./test/**/*{Tests,Specs}.csproj, not the benchmarks.
        using var tree = ThreeTestProjects();
        tree.Write("test/Lib.Specs/Lib.Specs.csproj", TestProject);
        tree.Write(".github/workflows/build.yml", "jobs:\n  b:\n    steps:\n      - run: ./build.ps1\n");
        tree.Write("build.ps1", "# Bootstraps a Cake build.\ndotnet cake.cs @args\n");
        tree.Write("cake.cs", """
            Task("__RunTests")
                .Does(() =>
            {
                var projects = GetFiles("./test/**/*{Tests,Specs}.csproj");

                foreach (var proj in projects)
                {
                    DotNetTest(proj.FullPath, new DotNetTestSettings { NoBuild = true });
                }
            });
            """);

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(["test/Lib.ApprovalTests/Lib.ApprovalTests.csproj", "test/Lib.Specs/Lib.Specs.csproj", "test/Lib.Tests/Lib.Tests.csproj"], TestedProjects(plan).Order());
    }

    [Theory]
    [InlineData("      - run: dotnet test -c Release\n")]
    [InlineData("      - run: dotnet test Lib.sln\n      - run: dotnet test test/Lib.Tests\n")]
    [InlineData("      - run: dotnet test $PROJECT\n")]
    [InlineData("      - run: dotnet test ../../elsewhere/Other.Tests\n")]
    [InlineData("      - run: dotnet build\n")]
    public void Detect_CiRunsTheSolutionOrNamesNothingReadable_RunsEveryTestProject(string steps)
    {
        // Arrange
        using var tree = ThreeTestProjects();
        tree.Write(".github/workflows/ci.yml", "jobs:\n  build:\n    steps:\n" + steps);

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(3, TestedProjects(plan).Count);
        Assert.Equal("3 test projects", plan.Reason);
    }

    [Fact]
    public void Detect_CiStartsAScriptLinkedOutOfTheTree_DoesNotReadIt()
    {
        // Arrange: the started script is a link to a file outside the repository, which names one project.
        using var outside = new TempDirectory();
        outside.Write("Build.ps1", "dotnet test test/Lib.Benchmarks\n");
        using var tree = ThreeTestProjects();
        tree.Write(".github/workflows/ci.yml", "jobs:\n  b:\n    steps:\n      - run: ./Build.ps1\n");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "Build.ps1"), Path.Combine(outside.Path, "Build.ps1"));

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(3, TestedProjects(plan).Count);
    }

    [Fact]
    public void Detect_ScriptThatCiDoesNotStart_IsNotRead()
    {
        // Arrange
        using var tree = ThreeTestProjects();
        tree.Write("RunPerfTests.ps1", "foreach ($test in ls test/*.Benchmarks) {\n    Push-Location $test\n    & dotnet test -c Release\n    Pop-Location\n}\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(3, TestedProjects(plan).Count);
    }
}
