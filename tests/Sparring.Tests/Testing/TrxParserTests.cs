using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

public class TrxParserTests
{
    private readonly TrxParser parser = new();

    [Fact]
    public void Parse_TwoProjectsTrx_MergesAllResultsWithFullyQualifiedNames()
    {
        // Arrange
        var input = Files("demo-tests.trx", "other-tests.trx");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(9, report.Tests.Count);
        Assert.Equal(TestStatus.Passed, StatusOf(report, "Other.Tests.OtherTests.Works"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "Demo.Tests.CalcTests.Add_Works"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "Demo.Tests.CalcTests.Add_Broken"));
        Assert.Equal(TestStatus.Skipped, StatusOf(report, "Demo.Tests.CalcTests.Skipped"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "Demo.Tests.CalcTests.Prints"));
        Assert.Equal((5, 3, 1), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped)));
        Assert.True(report.SawCompletion);
        Assert.Equal(9, report.ReportedTotal);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_TheoryRows_KeepArgumentsInIds()
    {
        // Arrange
        var input = Files("demo-tests.trx");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(TestStatus.Passed, StatusOf(report, "Demo.Tests.CalcTests.Equal_Theory(a: 1, b: 1)"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "Demo.Tests.CalcTests.Equal_Theory(a: 2, b: 3)"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "Demo.Tests.CalcTests.Equal_Theory(a: -1, b: -1)"));
        Assert.Equal(8, report.Tests.Count);
    }

    [Fact]
    public void Parse_FailedAndSkippedResults_CarryMessageAndDuration()
    {
        // Arrange
        var input = Files("demo-tests.trx");

        // Act
        var report = parser.Parse(input);

        // Assert
        var throws = report.Tests.Single(t => t.Id == "Demo.Tests.CalcTests.Throws");
        Assert.Equal("System.InvalidOperationException : kaboom", throws.Message);
        Assert.Equal(3.6098, throws.DurationMs!.Value, precision: 4);
        Assert.Equal("not ready yet", report.Tests.Single(t => t.Id == "Demo.Tests.CalcTests.Skipped").Message);
        Assert.Null(report.Tests.Single(t => t.Id == "Demo.Tests.CalcTests.Add_Works").Message);
    }

    [Fact]
    public void Parse_TruncatedTrx_KeepsResultsBeforeTheBreakAndIsIncomplete()
    {
        // Arrange
        var trx = Text("demo-tests.trx");
        var input = FileContents(trx[..trx.IndexOf("<TestDefinitions>", StringComparison.Ordinal)]);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(8, report.Tests.Count);
        Assert.False(report.SawCompletion);
        Assert.Contains(report.Warnings, w => w.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_OutcomesOutsideTheWellKnownSet_MapToStatuses()
    {
        // Arrange
        var input = FileContents("""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
            <UnitTestResult testName="A" outcome="Timeout" /><UnitTestResult testName="B" outcome="Inconclusive" />
            <UnitTestResult testName="C" outcome="Aborted" /><UnitTestResult testName="D" outcome="NotExecuted" />
            </Results><ResultSummary outcome="Failed" /></TestRun>
            """);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal([TestStatus.Error, TestStatus.Skipped, TestStatus.Error, TestStatus.Skipped], report.Tests.Select(t => t.Status));
        Assert.True(report.SawCompletion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF<?xml version=\"1.0\"?><TestRun><Results><UnitTestResult testName=\"X\"")]
    [InlineData("not xml at all")]
    public void Parse_EmptyOrBrokenTrx_ReturnsNoTestsWithoutThrowing(string content)
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
    public void Parse_MethodOnlyNamesOfTwoClasses_QualifiesThemByTheDefinitionsClass()
    {
        // Arrange: NUnit and TUnit name a result by its method only; the definitions (after the results) give the class.
        const string Trx = """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testId="a1" testName="Parses" outcome="Passed" duration="00:00:00.01" />
                <UnitTestResult testId="b2" testName="Parses" outcome="Failed"><Output><ErrorInfo><Message>expected 2</Message></ErrorInfo></Output></UnitTestResult>
                <UnitTestResult testId="c3" testName="Lib.Tests.CTests.Already" outcome="Passed" />
              </Results>
              <TestDefinitions>
                <UnitTest name="Parses" id="a1"><TestMethod className="Lib.Tests.ATests" name="Parses" /></UnitTest>
                <UnitTest name="Parses" id="b2"><TestMethod className="Lib.Tests.BTests, Lib.Tests, Version=1.0.0.0" name="Parses" /></UnitTest>
                <UnitTest name="Already" id="c3"><TestMethod className="Lib.Tests.CTests" name="Already" /></UnitTest>
              </TestDefinitions>
              <ResultSummary outcome="Failed"><Counters total="3" passed="2" failed="1" /></ResultSummary>
            </TestRun>
            """;
        var input = new ReportInput
        {
            Log = "",
            ReportFiles = new Dictionary<string, string>
            {
                ["Lib.Tests_net10.0_x64.trx"] = Trx,
                ["Lib.Tests-linux-net10.0-report.html"] = "<!doctype html><html></html>",
                ["Lib.Tests-linux-net10.0.tunit-report.json"] = "{}",
            },
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
            [("Lib.Tests.ATests.Parses", TestStatus.Passed), ("Lib.Tests.BTests.Parses", TestStatus.Failed), ("Lib.Tests.CTests.Already", TestStatus.Passed)],
            report.Tests.Select(t => (t.Id, t.Status)).Order());
        Assert.Equal("expected 2", report.Tests.Single(t => t.Id == "Lib.Tests.BTests.Parses").Message);
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_TwoRowsWithOneDisplayName_NumbersTheSecondSoBothAreCounted()
    {
        // Arrange: two theory rows whose arguments print alike; the runner's total counts both.
        var input = FileContents("""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
            <UnitTestResult testId="1" testName="Ns.C.M(x: Thing)" outcome="Passed" />
            <UnitTestResult testId="2" testName="Ns.C.M(x: Thing)" outcome="Failed" />
            <UnitTestResult testId="3" testName="Ns.C.M(x: Thing)" outcome="Passed" />
            </Results><ResultSummary outcome="Failed"><Counters total="3" /></ResultSummary></TestRun>
            """);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
            [("Ns.C.M(x: Thing)", TestStatus.Passed), ("Ns.C.M(x: Thing) [#2]", TestStatus.Failed), ("Ns.C.M(x: Thing) [#3]", TestStatus.Passed)],
            report.Tests.Select(t => (t.Id, t.Status)));
        Assert.Equal(report.ReportedTotal, report.Tests.Count);
        Assert.Empty(report.Warnings);
    }
}
