using System.Text.RegularExpressions;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

public sealed partial class TestRunnerDetectorTests
{
    [Fact]
    public void Detect_PytestConfigAndTestFiles_PlansPytestWithSystemPython()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("pyproject.toml", "[tool.pytest.ini_options]\n");
        tree.Write("tests/test_a.py", "def test_a():\n    pass\n");
        tree.Write("requirements.txt", "requests\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("pytest", plan.Runner);
        Assert.Equal("pytest", plan.Command.Parser);
        Assert.StartsWith("python3 -m pytest -rA -v", plan.Command.Command, StringComparison.Ordinal);
        Assert.Empty(plan.Recipe.SetupCommands);
        Assert.Contains(plan.Warnings, w => w.Contains("requirements.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_PyprojectWithoutTests_IsNotPython()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("pyproject.toml", "[project]\nname='x'\n");
        tree.Write("x/__init__.py", "");

        // Act
        var error = Assert.Throws<NoTestRunnerException>(() => TestRunnerDetector.Detect(tree.Path));

        // Assert
        Assert.Contains("--test-cmd", error.Message, StringComparison.Ordinal);
        Assert.Equal(tree.Path, error.Tree);
    }

    [Fact]
    public void Detect_GoModule_PlansGoTestJsonWithCaches()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n\ngo 1.19\n");
        tree.Write("x_test.py", "def test_unrelated(): pass\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("go", plan.Runner);
        Assert.Equal("go test -json -count=1 ./...", plan.Command.Command);
        Assert.Equal("go-test-json", plan.Command.Parser);
        Assert.DoesNotContain("go mod download", plan.Recipe.SetupCommands);
        Assert.Contains(plan.Recipe.Caches, c => c.Name == "go-build" && c.Scope == CacheScope.CopiedPerRun);
        Assert.Contains(plan.Recipe.Caches, c => c.Name == "gomod" && c.Scope == CacheScope.SharedReadOnly);
        Assert.Equal("off", plan.Recipe.RunEnvironment["GOPROXY"]);
    }

    [Fact]
    public void Detect_GoModuleWithDependencies_DownloadsModulesDuringSetup()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n\ngo 1.19\n\nrequire example.com/y v1.0.0\n");
        tree.Write("go.sum", "example.com/y v1.0.0 h1:abc=\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.StartsWith("go mod download || ", plan.Recipe.SetupCommands[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_PackageJsonWithoutFrameworks_UsesNodeTestWithScriptArguments()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", """{"name":"x","scripts":{"test":"node --test --test-reporter=dot test/ && echo done"}}""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("node", plan.Runner);
        Assert.Equal("node-jsonl", plan.Command.Parser);
        Assert.EndsWith(" test/", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("--test-reporter=dot", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("--test-reporter=/sparring/tools/node-reporter.mjs --test-reporter-destination=/sparring/results/node.jsonl", plan.Command.Command, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(plan.Command.Command, "--test "));
        Assert.Empty(plan.Recipe.SetupCommands);
        Assert.Empty(plan.Recipe.SharedDirectories);
    }

    [Theory]
    [InlineData("mocha", """{"test":"npm run eslint && nyc npm run test-spec","eslint":"eslint lib spec","test-spec":"mocha spec -R spec"}""", "node_modules/.bin/mocha spec --reporter /sparring/tools/mocha-reporter.cjs")]
    [InlineData("mocha", """{"test":"npm run-script unit -- --timeout 5000","unit":"cross-env NODE_ENV=test mocha --reporter=dot 'test/**/*.spec.js'"}""", "node_modules/.bin/mocha 'test/**/*.spec.js' --timeout 5000 --reporter /sparring/tools/mocha-reporter.cjs")]
    [InlineData("mocha", """{"test":"yarn lint; yarn unit","lint":"eslint .","unit":"nyc --reporter=lcov _mocha -R spec test/"}""", "node_modules/.bin/mocha test/ --reporter /sparring/tools/mocha-reporter.cjs")]
    [InlineData("mocha", """{"test":"run-s lint test:*","lint":"eslint .","test:unit":"mocha test/unit","test:e2e":"mocha test/e2e"}""", "node_modules/.bin/mocha test/unit --reporter /sparring/tools/mocha-reporter.cjs")]
    [InlineData("tape", """{"test":"npm run lint && npm run tests-only","lint":"eslint .","tests-only":"nyc tape 'test/**/*.js' | tap-spec"}""", "node_modules/.bin/tape 'test/**/*.js'")]
    [InlineData("tape", """{"test":"tape -r ./test/setup.js test/*.js"}""", "node_modules/.bin/tape -r ./test/setup.js test/*.js")]
    [InlineData(null, """{"test":"npm run build && npm run unit","build":"tsc","unit":"c8 node --test --test-reporter spec test/unit/"}""", "--test-reporter-destination=/sparring/results/node.jsonl test/unit/")]
    public void Detect_TestScriptReachesTheFrameworkIndirectly_TakesTheArgumentsOfThatCommand(string? framework, string scripts, string expected)
    {
        // Arrange
        using var tree = new TempDirectory();
        var dependencies = framework is null ? "{}" : $$"""{"{{framework}}":"1.0.0","nyc":"15.0.0"}""";
        tree.Write("package.json", "{\"devDependencies\":" + dependencies + ",\"scripts\":" + scripts + "}");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(framework ?? "node", plan.Runner);
        if (framework is null)
        {
            Assert.EndsWith(expected, plan.Command.Command, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, plan.Command.Command);
        }

        Assert.DoesNotContain("npm run", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("tap-spec", plan.Command.Command, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_ScriptsThatReferToEachOther_StopsWithoutLooping()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", """{"devDependencies":{"mocha":"10.0.0"},"scripts":{"test":"npm run a","a":"npm run b && npm test","b":"yarn a"}}""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("mocha", plan.Runner);
        Assert.Equal("node_modules/.bin/mocha --reporter /sparring/tools/mocha-reporter.cjs", plan.Command.Command);
        Assert.Equal("node-jsonl", plan.Command.Parser);
    }

    [Fact]
    public void Detect_TapeWithoutAScriptNamingFiles_RunsTheTestFolderAndWarns()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", """{"devDependencies":{"tape":"5.0.0"},"scripts":{"test":"echo no tests"}}""");
        tree.Write("package-lock.json", "{}");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("tape", plan.Runner);
        Assert.Equal("tape", plan.Command.Parser);
        Assert.Equal("node_modules/.bin/tape 'test/**/*.js'", plan.Command.Command);
        Assert.Contains(plan.Warnings, w => w.Contains("tape", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jest", "jest")]
    [InlineData("mocha", "mocha")]
    public void Detect_TapeBesideAnotherFrameworkTheTestScriptDoesNotName_PrefersTheOther(string other, string expected)
    {
        // Arrange: the test script runs a file of its own, so the declared frameworks decide.
        using var tree = new TempDirectory();
        tree.Write("package.json", $$$"""{"devDependencies":{"tape":"5.0.0","{{{other}}}":"1.0.0"},"scripts":{"test":"node test/run.js"}}""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(expected, plan.Runner);
        Assert.DoesNotContain("tape", plan.Command.Command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jest")]
    [InlineData("mocha")]
    public void Detect_TestScriptRunsTapeBesideAnotherDeclaredFramework_RunsTape(string other)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", $$$"""{"devDependencies":{"tape":"5.0.0","{{{other}}}":"1.0.0"},"scripts":{"test":"tape test/*.js"}}""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("tape", plan.Runner);
        Assert.Equal("node_modules/.bin/tape test/*.js", plan.Command.Command);
    }

    [Theory]
    [InlineData("jest", "jest-json", "node_modules/.bin/jest")]
    [InlineData("mocha", "node-jsonl", "node_modules/.bin/mocha")]
    [InlineData("tape", "tape", "node_modules/.bin/tape")]
    public void Detect_DeclaredFramework_RunsItFromNodeModules(string framework, string parser, string program)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", $$$"""{"devDependencies":{"{{{framework}}}":"1.0.0"},"scripts":{"test":"{{{framework}}} spec/"}}""");
        tree.Write("package-lock.json", "{}");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(framework, plan.Runner);
        Assert.Equal(parser, plan.Command.Parser);
        Assert.StartsWith(program, plan.Command.Command, StringComparison.Ordinal);
        Assert.Equal(["npm ci --no-audit --no-fund"], plan.Recipe.SetupCommands);
        Assert.Equal(["node_modules"], plan.Recipe.SharedDirectories);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Detect_DependenciesWithoutLockfile_InstallsAndWarns()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", """{"dependencies":{"left-pad":"1.3.0"}}""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(["npm install --no-audit --no-fund"], plan.Recipe.SetupCommands);
        Assert.Single(plan.Warnings);
    }

    [Fact]
    public void Detect_MalformedPackageJson_FailsWithClearMessage()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", "{ not json");

        // Act
        var error = Assert.Throws<InvalidDataException>(() => TestRunnerDetector.Detect(tree.Path));

        // Assert
        Assert.StartsWith("package.json is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_SolutionsWithoutARecognisableTestProject_UsesTheFirstSolutionAndRestoresInSetup()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("b.sln", "");
        tree.Write("a.slnx", "<Solution />");
        tree.Write("src/T/T.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("dotnet", plan.Runner);
        Assert.Equal("a.slnx", plan.Reason);
        Assert.StartsWith("dotnet test a.slnx --no-restore", plan.Command.Command, StringComparison.Ordinal);
        Assert.Equal("trx", plan.Command.Parser);
        Assert.StartsWith("dotnet restore a.slnx", plan.Recipe.SetupCommands[0], StringComparison.Ordinal);
        Assert.Contains(plan.Warnings, w => w.Contains("several solutions", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_TestProjectWithoutSolution_UsesTheProject()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("src/Lib/Lib.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        tree.Write("test/Lib Tests/Lib.Tests.csproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><IsTestProject>true</IsTestProject></PropertyGroup></Project>""");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("test/Lib Tests/Lib.Tests.csproj", plan.Reason);
        Assert.Contains("dotnet test 'test/Lib Tests/Lib.Tests.csproj'", plan.Command.Command, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnguessableTestCommandWithoutParser_AsksForParser()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("go.mod", "module example.com/x\n");

        // Act
        var error = Assert.Throws<ArgumentException>(() => TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { TestCommand = "make check" }));
        var plan = TestRunnerDetector.Plan(tree.Path, new EnvironmentSettings { TestCommand = "make check", Parser = "tap" });

        // Assert
        Assert.Contains("--parser", error.Message, StringComparison.Ordinal);
        Assert.Equal("custom", plan.Runner);
        Assert.Equal("tap", plan.Command.Parser);
        Assert.Contains(plan.Recipe.Caches, c => c.Name == "go-build");
    }
}
