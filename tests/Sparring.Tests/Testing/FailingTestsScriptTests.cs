using Sparring.Testing;
using Sparring.Tests.SampleRepos;
using Sparring.Tests.Testing.Detection;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

public sealed class FailingTestsScriptTests
{
    private const string DotnetTest = "dotnet test tests/G.Tests/G.Tests.csproj --no-restore -nologo -nodeReuse:false -p:UseSharedCompilation=false --logger trx --results-directory /sparring/results";

    [Fact]
    public void Narrow_GoTestOfEveryPackage_RunsTheFailingTopLevelTestsInTheirPackagesOnly()
    {
        // Arrange: two tests of one package, a subtest of another (it runs with its whole top-level test).
        string[] failing = ["example.com/kit/stats/TestTopN", "example.com/kit/stats/TestSummarize", "example.com/kit/wrap/TestWrap/long_words"];

        // Act
        var script = FailingTestsScript.Narrow("#!/bin/bash\ngo test -json -count=1 ./...\n", "go-test-json", failing);

        // Assert
        Assert.Equal("#!/bin/bash\ngo test -json -count=1 -run '^(TestSummarize|TestTopN|TestWrap)$' example.com/kit/stats example.com/kit/wrap\n", script);
    }

    [Fact]
    public void Narrow_Pytest_AppendsTheQuotedNodeIds()
    {
        // Act
        var script = FailingTestsScript.Narrow("#!/bin/bash\npython3 -m pytest -rA\n", "pytest", ["tests/test_a.py::test_one", "tests/test_a.py::TestB::test_two[x-1]"]);

        // Assert
        Assert.Equal("#!/bin/bash\npython3 -m pytest -rA 'tests/test_a.py::test_one' 'tests/test_a.py::TestB::test_two[x-1]'\n", script);
    }

    [Theory]
    [InlineData("go test -json -count=1 ./...\ngo vet ./...", "go-test-json", "example.com/kit/TestA")] // two commands
    [InlineData("go test -json -count=1 ./... | tee log", "go-test-json", "example.com/kit/TestA")] // shell syntax
    [InlineData("go test -json -count=1 -run TestA ./...", "go-test-json", "example.com/kit/TestA")] // already narrowed
    [InlineData("go test -json -count=1 ./pkg", "go-test-json", "example.com/kit/TestA")] // not every package
    [InlineData("go test -json -count=1 ./...", "go-test-json", "TestA")] // no package
    [InlineData("go test -json -count=1 ./...", "go-test-json", "example.com/kit/TestA'; rm -rf ~; '")] // not a test name
    [InlineData("go test -json -count=1 ./...", "go-test-json", "example.com/k$(id)/TestA")] // not an import path
    [InlineData("go test -json -count=1 ./...", "go-test-json", "example.com/kit/Testify")] // a lower-case letter after Test: not a test
    [InlineData("python3 -m pytest", "pytest", "tests/test_a.py::it's")] // a quote in the id
    [InlineData("python3 -m pytest", "pytest", "test_a")] // not a node id
    [InlineData("npx jest", "jest-json", "a > b")] // a runner it does not know
    [InlineData(DotnetTest, "trx", "G.Tests.A.B,C")] // the filter's own characters
    [InlineData(DotnetTest, "trx", "G.Tests.A.B|C")]
    [InlineData(DotnetTest, "trx", "G.Tests.A.B=C")]
    [InlineData(DotnetTest, "trx", "G.Tests.A.B&C")]
    [InlineData(DotnetTest, "trx", "G.Tests.A.!B")]
    [InlineData(DotnetTest, "trx", "G.Tests.A.B~C")]
    [InlineData(DotnetTest, "trx", "G.Tests.A.B\\C")]
    [InlineData(DotnetTest, "trx", "G.Tests.A.Adds two numbers")] // a custom display name
    [InlineData(DotnetTest, "trx", "G.Tests.A`1.B")] // a generic class
    [InlineData(DotnetTest, "trx", "Method")] // no class
    [InlineData(DotnetTest, "trx", "G.Tests.A.B'; rm -rf ~; '")]
    [InlineData(DotnetTest + " --filter Category=Fast", "trx", "G.Tests.A.B")] // already narrowed
    [InlineData("dotnet test --project tests/G.Tests/G.Tests.csproj --no-restore --report-trx --results-directory /sparring/results", "trx", "G.Tests.A.B")] // Microsoft.Testing.Platform
    [InlineData("dotnet test tests/G.Tests/G.Tests.csproj --no-restore", "trx", "G.Tests.A.B")] // no TRX logger: not the detector's
    [InlineData("dotnet build G.sln\n" + DotnetTest, "trx", "G.Tests.A.B")] // a line it does not know
    [InlineData("dotnet test G.sln --logger trx && dotnet test H.sln --logger trx", "trx", "G.Tests.A.B")] // two runs on one line
    [InlineData(DotnetTest + " -- RunConfiguration.MaxCpuCount=1", "trx", "G.Tests.A.B")] // run settings after --
    [InlineData("node --test test/", "trx", "G.Tests.A.B")] // the parser is not the runner's
    [InlineData("node --test --import tsx test/", "node-jsonl", "test/a.test.js > adds")] // an option that takes the next word
    [InlineData("node --test 'test/*.test.js'", "node-jsonl", "test/a.test.js > adds")] // quoting
    [InlineData("node --test test/", "node-jsonl", "../a.test.js > adds")] // out of the tree
    [InlineData("node --test test/", "node-jsonl", "-a.test.js > adds")] // an option, not a file
    [InlineData("node_modules/.bin/mocha --reporter /sparring/tools/mocha-reporter.js", "node-jsonl", "test/a.test.js > adds")] // mocha
    public void Narrow_ShapesItDoesNotKnow_Null(string script, string parser, string id)
    {
        // Act, Assert
        Assert.Null(FailingTestsScript.Narrow("#!/bin/bash\n" + script + "\n", parser, [id]));
    }

    [Fact]
    public void Narrow_DotnetTestOfOneProject_FiltersByFullyQualifiedNameAndAsksForATheoryRowByItsMethod()
    {
        // Arrange: a fact, two rows of one theory, and a repeated row ([#2]).
        string[] failing = ["G.Tests.SegmentTests.Intersect_Crossing", "G.Tests.BoxTests.Contains(x: 0, y: 2, expected: True)", "G.Tests.BoxTests.Contains(x: 1, y: 1, expected: True)", "G.Tests.BoxTests.Contains(x: 1, y: 1, expected: True) [#2]", "G.Tests.Outer+Inner.Works"];

        // Act
        var script = FailingTestsScript.Narrow("#!/bin/bash\n" + DotnetTest + "\n", "trx", failing);

        // Assert: xUnit and MSTest name a row's test by its method, NUnit with its arguments.
        Assert.Equal(
            "#!/bin/bash\ndotnet test --filter 'FullyQualifiedName=G.Tests.BoxTests.Contains|FullyQualifiedName=G.Tests.Outer+Inner.Works|FullyQualifiedName=G.Tests.SegmentTests.Intersect_Crossing|FullyQualifiedName~G.Tests.BoxTests.Contains\\(' "
            + DotnetTest["dotnet test ".Length..] + "\n",
            script);
    }

    [Fact]
    public void Narrow_DetectedScriptOfTwoProjectsRunFromTmp_FiltersEveryRunAndKeepsTheRest()
    {
        // Arrange: two test projects and an SDK pin no installed SDK meets: the detector runs each project in turn from /tmp.
        using var tree = new TempDirectory();
        tree.Write("global.json", $$"""{ "sdk": { "version": "{{GlobalJsonPinTests.UnsatisfiablePin()}}", "rollForward": "latestPatch" } }""");
        foreach (var name in new[] { "A.Tests", "B.Tests" })
        {
            tree.Write($"{name}/{name}.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><IsTestProject>true</IsTestProject></PropertyGroup></Project>");
        }

        var plan = TestRunnerDetector.Detect(tree.Path);
        var original = "#!/bin/bash\n" + plan.Command.Command + "\n";

        // Act
        var script = FailingTestsScript.Narrow(original, plan.Command.Parser, ["A.Tests.MathTests.Adds"]);

        // Assert
        Assert.StartsWith("cd /tmp || exit 1\nrc=0\n", plan.Command.Command, StringComparison.Ordinal);
        Assert.NotNull(script);
        Assert.Equal(2, script.Split("dotnet test --filter 'FullyQualifiedName=A.Tests.MathTests.Adds' ").Length - 1);
        Assert.Equal(original, script.Replace("--filter 'FullyQualifiedName=A.Tests.MathTests.Adds' ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Narrow_DetectedJestLineAfterAPretestBuild_RunsTheFailingTestsFilesByPath()
    {
        // Arrange: jest reports absolute files; a file that did not load is an id of its own; a relative one is kept so.
        const string Build = "(export PATH=\"$PWD/node_modules/.bin:$PATH\" npm_config_cache=/tmp/.npm npm_config_ignore_scripts=true; tsc -p .); ";
        const string Jest = "node_modules/.bin/jest --ci --colors=false --json --outputFile=/sparring/results/jest.json";
        string[] failing = ["/repo/test/b.test.js > math > adds", "/repo/test/b.test.js > math > adds [#2]", "/repo/test/a.test.ts", "test/c.spec.js > x"];

        // Act
        var plain = FailingTestsScript.Narrow($"#!/bin/bash\n{Jest}\n", "jest-json", failing);
        var built = FailingTestsScript.Narrow($"#!/bin/bash\n{Build}{Jest}\n", "jest-json", failing);

        // Assert
        Assert.Equal($"#!/bin/bash\n{Jest} --runTestsByPath /repo/test/a.test.ts /repo/test/b.test.js test/c.spec.js\n", plain);
        Assert.Equal($"#!/bin/bash\n{Build}{Jest} --runTestsByPath /repo/test/a.test.ts /repo/test/b.test.js test/c.spec.js\n", built);
    }

    [Fact]
    public void Narrow_DetectedVitestLine_AddsTheFailingTestsFilesAsFilters()
    {
        // Arrange
        const string Vitest = "node_modules/.bin/vitest run test/unit --reporter=default --reporter=json --outputFile=/sparring/results/vitest.json --coverage.enabled=false";

        // Act
        var script = FailingTestsScript.Narrow($"#!/bin/bash\n{Vitest}\n", "jest-json", ["/repo/test/unit/a.test.ts > sums > adds"]);

        // Assert
        Assert.Equal($"#!/bin/bash\n{Vitest} /repo/test/unit/a.test.ts\n", script);
    }

    [Theory]
    [InlineData("node_modules/.bin/jest --ci --json", "/repo/test/a b.test.js > x")] // a space in the file
    [InlineData("node_modules/.bin/jest --ci --json", "/repo/../etc/a.test.js > x")] // out of the tree
    [InlineData("node_modules/.bin/jest --ci --json", "-a.test.js > x")] // an option
    [InlineData("node_modules/.bin/jest --ci --json", "/repo/a.test.js$(id) > x")] // shell syntax in the file
    [InlineData("node_modules/.bin/jest --ci --json -t adds", "/repo/a.test.js > x")] // already narrowed
    [InlineData("node_modules/.bin/jest --ci --json --testNamePattern=adds", "/repo/a.test.js > x")]
    [InlineData("node_modules/.bin/jest --ci --json --testPathPatterns=unit", "/repo/a.test.js > x")]
    [InlineData("node_modules/.bin/vitest run --shard=1/2 --reporter=json", "/repo/a.test.js > x")]
    [InlineData("node_modules/.bin/jest --ci --json | tee log", "/repo/a.test.js > x")] // shell syntax after the runner
    [InlineData("echo node_modules/.bin/jest --ci --json", "/repo/a.test.js > x")] // not the runner's own word
    [InlineData("node_modules/.bin/vitest --reporter=json", "/repo/a.test.js > x")] // vitest watching, not the detector's line
    public void Narrow_JestOrVitestShapesItDoesNotKnow_Null(string script, string id)
    {
        // Act, Assert
        Assert.Null(FailingTestsScript.Narrow("#!/bin/bash\n" + script + "\n", "jest-json", [id]));
    }

    [Fact]
    public void Narrow_NodeTestOverAFolder_RunsTheFailingTestsFilesOnly()
    {
        // Arrange: the detector's node --test line; two tests of one file, a file that did not load, a repeated title.
        const string Line = "node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/sparring/tools/node-reporter.mjs --test-reporter-destination=/sparring/results/node.jsonl";
        string[] failing = ["test/b.test.js > totals > adds", "test/b.test.js > totals > subtracts [#2]", "test/a.test.js", "test/sub/c.test.mjs > x > y"];

        // Act
        var script = FailingTestsScript.Narrow($"#!/bin/bash\n{Line} test/\n", "node-jsonl", failing);

        // Assert
        Assert.Equal($"#!/bin/bash\n{Line} test/a.test.js test/b.test.js test/sub/c.test.mjs\n", script);
    }

    [Fact]
    public async Task Narrow_CSharpSampleRunForReal_RunsOnlyTheNamedTestsAndEveryRowOfTheNamedTheory()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.CSharp);
        const string Theory = "Geometry.Tests.PolygonTests.Contains_InsideOutsideAndBoundary";
        var baseline = await new TestRunner(SampleEnvironments.Sandboxes).RunAsync(environment);
        var rows = baseline.Tests.Select(t => t.Id).Where(id => id.StartsWith(Theory + "(", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var script = FailingTestsScript.Narrow("#!/bin/bash\n" + environment.Plan.Command.Command + "\n", environment.Plan.Command.Parser, ["Geometry.Tests.Vector2Tests.DotAndCross", rows[0]]);

        // Act
        var narrowed = await new TestRunner(SampleEnvironments.Sandboxes).RunAsync(environment, environment.Plan.Command with { Command = script! });

        // Assert
        Assert.True(baseline.Tests.Count > rows.Count + 1, baseline.Evidence);
        Assert.True(rows.Count > 1);
        Assert.True(narrowed.SuiteRan, narrowed.Log);
        Assert.Equal(0, narrowed.ExitCode);
        Assert.Equal(rows.Append("Geometry.Tests.Vector2Tests.DotAndCross").Order(StringComparer.Ordinal), narrowed.Tests.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.All(narrowed.Tests, t => Assert.Equal(TestStatus.Passed, t.Status));
    }
}
