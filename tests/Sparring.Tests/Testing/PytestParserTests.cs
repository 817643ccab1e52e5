using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

public class PytestParserTests
{
    private readonly PytestParser parser = new();

    [Fact]
    public void Parse_VerboseRunWithEveryOutcome_ReadsEachNodeId()
    {
        // Arrange
        var input = Log("pytest-verbose.log");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
        [
            "tests/test_basic.py::test_pass", "tests/test_basic.py::test_fail", "tests/test_basic.py::test_skip",
            "tests/test_basic.py::test_prints", "tests/test_basic.py::test_param[1-1]", "tests/test_basic.py::test_param[2-3]",
            "tests/test_basic.py::test_param[x y-x y]", "tests/test_basic.py::test_xfail", "tests/test_basic.py::test_xpass",
            "tests/test_basic.py::test_setup_error", "tests/test_basic.py::TestGroup::test_in_class",
            "tests/test_basic.py::TestGroup::test_skip_inline", "tests/test_broken.py",
        ], report.Tests.Select(t => t.Id));
        Assert.Equal(6, CountOf(report, TestStatus.Passed));
        Assert.Equal(2, CountOf(report, TestStatus.Failed));
        Assert.Equal(3, CountOf(report, TestStatus.Skipped));
        Assert.Equal(2, CountOf(report, TestStatus.Error));
        Assert.True(report.SawCompletion);
        Assert.Equal(13, report.ReportedTotal);
        Assert.Empty(report.Warnings);
    }

    [Theory]
    [InlineData("==== 3 passed, 2 deselected, 4 warnings in 0.10s ====", 3)]
    [InlineData("=== 1 failed, 1 passed, 1 warning, 1 error in 1.20s ===", 3)]
    [InlineData("============================ no tests ran in 0.01s =============================", 0)]
    [InlineData("", null)]
    public void Parse_FinalLine_ReportsTheTestsItCountsNotWarningsOrDeselected(string finalLine, int? total)
    {
        // Arrange
        var input = new ReportInput { Log = "tests/test_a.py::test_a PASSED\n" + finalLine + "\n" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(total, report.ReportedTotal);
    }

    [Fact]
    public void Parse_VerboseRun_MapsXfailSetupErrorAndCollectionError()
    {
        // Arrange
        var input = Log("pytest-verbose.log");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(TestStatus.Skipped, StatusOf(report, "tests/test_basic.py::test_xfail"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "tests/test_basic.py::test_xpass"));
        Assert.Equal(TestStatus.Error, StatusOf(report, "tests/test_basic.py::test_setup_error"));
        Assert.Equal(TestStatus.Error, StatusOf(report, "tests/test_broken.py"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "tests/test_basic.py::test_param[2-3]"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "tests/test_basic.py::test_param[x y-x y]"));
    }

    [Fact]
    public void Parse_VerboseRun_TakesMessagesFromSummaryAndSkipReasons()
    {
        // Arrange
        var input = Log("pytest-verbose.log");

        // Act
        var report = parser.Parse(input);

        // Assert
        var byId = report.Tests.ToDictionary(t => t.Id);
        Assert.Equal("AssertionError: math is broken", byId["tests/test_basic.py::test_fail"].Message);
        Assert.Equal("not ready yet", byId["tests/test_basic.py::test_skip"].Message);
        Assert.Equal("RuntimeError: fixture exploded", byId["tests/test_basic.py::test_setup_error"].Message);
        Assert.Equal("unexpectedly works", byId["tests/test_basic.py::test_xpass"].Message);
        Assert.Null(byId["tests/test_basic.py::test_pass"].Message);
    }

    [Fact]
    public void Parse_CollectionErrorInterruptsRun_YieldsErrorForTheFile()
    {
        // Arrange
        var input = Log("pytest-collection-interrupted.log");

        // Act
        var report = parser.Parse(input);

        // Assert
        var only = Assert.Single(report.Tests);
        Assert.Equal("tests/test_broken.py", only.Id);
        Assert.Equal(TestStatus.Error, only.Status);
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_NoTestsRan_IsCompleteAndEmpty()
    {
        // Arrange
        var input = Log("pytest-no-tests.log");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_TruncatedLog_KeepsProgressLinesAndReportsNoCompletion()
    {
        // Arrange
        var lines = Text("pytest-verbose.log").Split('\n');
        var input = new ReportInput { Log = string.Join('\n', lines.Take(10)) };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(4, report.Tests.Count);
        Assert.Equal(TestStatus.Failed, StatusOf(report, "tests/test_basic.py::test_fail"));
        Assert.False(report.SawCompletion);
        Assert.Single(report.Warnings);
    }

    [Fact]
    public void Parse_SummaryOnlyWithoutVerboseLines_GuessesIdsAtBracketAwareSpaces()
    {
        // Arrange
        var input = new ReportInput
        {
            Log = """
                ========================= short test summary info ==========================
                FAILED tests/t.py::test_p[a - b] - assert 0
                XPASS tests/t.py::test_q reason here
                ERROR tests/t.py::test_r
                SKIPPED [2] tests/t.py:4: no id here
                ========================= 1 failed, 1 xpassed, 1 error in 0.10s =========================
                """,
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["tests/t.py::test_p[a - b]", "tests/t.py::test_q", "tests/t.py::test_r"], report.Tests.Select(t => t.Id));
        Assert.Equal("assert 0", report.Tests[0].Message);
        Assert.Equal(TestStatus.Error, report.Tests[2].Status);
        Assert.True(report.SawCompletion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage\n\0\u0001 not pytest at all\n::: PASSED\n")]
    public void Parse_EmptyOrGarbage_ReturnsNothingWithoutThrowing(string log)
    {
        // Arrange
        var input = new ReportInput { Log = log };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.NotEmpty(report.Warnings);
    }
}
