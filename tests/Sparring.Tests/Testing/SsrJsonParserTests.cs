using Sparring.Testing;
using Sparring.Testing.Parsers;

namespace Sparring.Tests.Testing;

public class SsrJsonParserTests
{
    private readonly SsrJsonParser parser = new();

    [Fact]
    public void Parse_NoiseThenObject_ReadsTheObject()
    {
        // Arrange
        var input = new ReportInput
        {
            Log = """
                Running tests... {not json} and a dict {'a': 1}
                {"tests/test_a.py::test_x": "passed", "tests/test_a.py::test_y[1 2]": "FAILED", "pkg/TestZ": "skip", "t4": "error"}
                """,
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["tests/test_a.py::test_x", "tests/test_a.py::test_y[1 2]", "pkg/TestZ", "t4"], report.Tests.Select(t => t.Id));
        Assert.Equal([TestStatus.Passed, TestStatus.Failed, TestStatus.Skipped, TestStatus.Error], report.Tests.Select(t => t.Status));
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_TwoObjects_TheLastWins()
    {
        // Arrange
        var input = new ReportInput { Log = "{\"a\": \"failed\"}\nprogress\n  {\"a\": \"passed\", \"b\": \"passed\"}\ntrailing noise }" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["a", "b"], report.Tests.Select(t => t.Id));
        Assert.All(report.Tests, t => Assert.Equal(TestStatus.Passed, t.Status));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_NonStringValues_AreWarnedAndSkipped()
    {
        // Arrange
        var input = new ReportInput { Log = "{\"a\": \"passed\", \"b\": 1, \"c\": null, \"d\": \"\", \"e\": \"flaky\"}" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["a", "e"], report.Tests.Select(t => t.Id));
        Assert.Equal("flaky", report.Tests[1].Status.Value);
        Assert.Equal(3, report.Warnings.Count);
    }

    [Fact]
    public void Parse_ObjectInsideNoiseLine_IsStillFound()
    {
        // Arrange
        var input = new ReportInput { Log = "result: {\"x\": \"passed\"} done" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("x", Assert.Single(report.Tests).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no braces here")]
    [InlineData("{\"a\": \"passed\", \"b\": \"fai")]
    [InlineData("[\"a\", \"b\"]")]
    public void Parse_NoCompleteObject_ReturnsNothingWithoutThrowing(string log)
    {
        // Arrange
        var input = new ReportInput { Log = log };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.Single(report.Warnings);
    }
}
