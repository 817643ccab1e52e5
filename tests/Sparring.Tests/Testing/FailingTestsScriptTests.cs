using Sparring.Testing;

namespace Sparring.Tests.Testing;

public sealed class FailingTestsScriptTests
{
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
    public void Narrow_ShapesItDoesNotKnow_Null(string script, string parser, string id)
    {
        // Act, Assert
        Assert.Null(FailingTestsScript.Narrow("#!/bin/bash\n" + script + "\n", parser, [id]));
    }
}
