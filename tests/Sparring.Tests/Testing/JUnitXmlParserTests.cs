using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

public class JUnitXmlParserTests
{
    private readonly JUnitXmlParser parser = new();

    [Fact]
    public void Parse_PytestJunitXml_UsesClassnameDotName()
    {
        // Arrange
        var input = Files("pytest-junit.xml");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(13, report.Tests.Count);
        Assert.Equal("tests.test_broken", report.Tests[0].Id);
        Assert.Equal(TestStatus.Error, report.Tests[0].Status);
        Assert.Equal(TestStatus.Passed, StatusOf(report, "tests.test_basic.test_pass"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "tests.test_basic.test_param[2-3]"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "tests.test_basic.test_param[x y-x y]"));
        Assert.Equal(TestStatus.Skipped, StatusOf(report, "tests.test_basic.test_xfail"));
        Assert.Equal(TestStatus.Error, StatusOf(report, "tests.test_basic.test_setup_error"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "tests.test_basic.TestGroup.test_in_class"));
        Assert.Equal((6, 2, 3, 2), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped), CountOf(report, TestStatus.Error)));
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_PytestJunitXml_KeepsMessageAndDuration()
    {
        // Arrange
        var input = Files("pytest-junit.xml");

        // Act
        var report = parser.Parse(input);

        // Assert
        var failed = report.Tests.Single(t => t.Id == "tests.test_basic.test_fail");
        Assert.Equal("AssertionError: math is broken\nassert (1 + 1) == 3", failed.Message);
        Assert.Equal(1.0, report.Tests.Single(t => t.Id == "tests.test_basic.test_param[2-3]").DurationMs!.Value, precision: 6);
        Assert.Equal("not ready yet", report.Tests.Single(t => t.Id == "tests.test_basic.test_skip").Message);
    }

    [Fact]
    public void Parse_NodeJunitWithNestedSuites_JoinsSuitePathWithArrows()
    {
        // Arrange
        var input = Files("node-junit.xml");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
        [
            "/tmp/sp/node/test/broken.test.js", "adds numbers", "fails on purpose", "skipped test", "todo test", "prints to stdout",
            "math suite > multiplies", "math suite > nested group > divides", "parent with subtests > sub one",
            "parent with subtests > sub two", "equal 1 1", "equal 2 3",
        ], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "math suite > nested group > divides"));
        Assert.Equal(TestStatus.Skipped, StatusOf(report, "todo test"));
        Assert.Equal("Expected values to be strictly equal:2 !== 3", report.Tests.Single(t => t.Id == "equal 2 3").Message);
        Assert.Equal((5, 5, 2), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped)));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_JestJunitWhereNameRepeatsClassname_UsesNameAlone()
    {
        // Arrange
        var input = Files("jest-junit.xml");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(7, report.Tests.Count);
        Assert.Equal(TestStatus.Failed, StatusOf(report, "math nested equal 2 3"));
        Assert.Equal(TestStatus.Skipped, StatusOf(report, "math skipped one"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "top level prints"));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_SeveralFilesWithBareTestsuiteRoots_MergesAndWorseStatusWins()
    {
        // Arrange
        var input = new ReportInput
        {
            Log = "",
            ReportFiles = new Dictionary<string, string>
            {
                ["a/TEST-com.x.FooTest.xml"] = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <testsuite name="com.x.FooTest" tests="2"><testcase classname="com.x.FooTest" name="works" time="0.25"/>
                    <testcase classname="com.x.FooTest" name="flaky"/></testsuite>
                    """,
                ["b/rerun.xml"] = """
                    <testsuite name="com.x.FooTest"><testcase classname="com.x.FooTest" name="flaky"><error message="NPE"/></testcase>
                    <testcase classname="com.x.FooTest" name="works"><skipped/></testcase></testsuite>
                    """,
            },
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["com.x.FooTest.works", "com.x.FooTest.flaky"], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Skipped, report.Tests[0].Status);
        Assert.Equal(250, report.Tests[0].DurationMs);
        Assert.Equal(TestStatus.Error, report.Tests[1].Status);
        Assert.Equal("NPE", report.Tests[1].Message);
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_TruncatedXml_KeepsEarlierCasesAndWarns()
    {
        // Arrange
        var xml = Text("pytest-junit.xml");
        var input = FileContents(xml[..xml.IndexOf("name=\"test_param[2-3]\"", StringComparison.Ordinal)]);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(6, report.Tests.Count);
        Assert.Equal("tests.test_basic.test_param[1-1]", report.Tests[^1].Id);
        Assert.False(report.SawCompletion);
        Assert.Contains(report.Warnings, w => w.Contains("truncated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("this is not xml <<<")]
    [InlineData("<testsuites><testcase name=\"x\"><failure")]
    public void Parse_EmptyOrBrokenXml_ReturnsNoTestsWithoutThrowing(string content)
    {
        // Arrange
        var input = FileContents(content);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.NotEmpty(report.Warnings);
    }

    [Fact]
    public void Parse_NoReportFiles_IsIncompleteWithWarning()
    {
        // Arrange
        var input = new ReportInput { Log = "whatever" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.Single(report.Warnings);
    }
}
