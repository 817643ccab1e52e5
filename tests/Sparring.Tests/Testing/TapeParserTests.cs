using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

/// <summary>The fixtures are tape 5.10.2 on Node 20 (<c>tape 'test/*.js'</c>), with /tmp paths rewritten to /repo.</summary>
public class TapeParserTests
{
    private readonly TapeParser parser = new();

    [Fact]
    public void Parse_TapeOutput_OneResultPerTestBlock()
    {
        // Arrange
        var input = Log("tape.txt");

        // Act
        var report = parser.Parse(input);

        // Assert: "adds numbers" is in two files; tape does not say which, so the second is numbered.
        Assert.Equal(
        [
            "adds numbers", "fails one assertion", "skipped test", "skipped assertions", "todo test", "nested parent", "nested child",
            "no assertions", "adds numbers [#2]", "plan mismatch",
        ], report.Tests.Select(t => t.Id));
        Assert.Equal((5, 2, 3), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped)));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "fails one assertion"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "plan mismatch"));
        Assert.Equal(TestStatus.Skipped, StatusOf(report, "todo test"));
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_FailedAssertion_MessageNamesItAndItsValues()
    {
        // Arrange
        var input = Log("tape.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        var failed = report.Tests.Single(t => t.Id == "fails one assertion");
        Assert.Equal("two times two (operator equal, expected 5, actual 4)", failed.Message);
        Assert.Null(report.Tests.Single(t => t.Id == "nested parent").Message);
    }

    [Fact]
    public void Parse_PassingRunWithConsoleOutput_IgnoresTheOutputAndSeesTheSummary()
    {
        // Arrange
        var input = Log("tape-pass.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["adds numbers", "skipped test", "async works"], report.Tests.Select(t => t.Id));
        Assert.Equal([TestStatus.Passed, TestStatus.Skipped, TestStatus.Passed], report.Tests.Select(t => t.Status));
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_ProcessCrashedInATest_ThatTestIsAnErrorAndTheRunIncomplete()
    {
        // Arrange
        var input = Log("tape-crash.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["before the crash", "throws"], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "before the crash"));
        var crashed = report.Tests.Single(t => t.Id == "throws");
        Assert.Equal(TestStatus.Error, crashed.Status);
        Assert.Contains("Error: kaboom", crashed.Message, StringComparison.Ordinal);
        Assert.False(report.SawCompletion);
        Assert.Contains(report.Warnings, w => w.Contains("'throws'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("TAP version 13\n# a test\nok 1 fine\n")]
    [InlineData("\0\0garbage\n# fail 3\n1..")]
    public void Parse_TruncatedOrGarbageInput_NeverThrowsAndIsIncomplete(string log)
    {
        // Arrange
        var input = new ReportInput { Log = log };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.False(report.SawCompletion);
        Assert.NotEmpty(report.Warnings);
    }

    [Fact]
    public void Parse_SummaryWordsBeforeThePlan_AreTestNames()
    {
        // Arrange: a test called "ok" is a header until tape's final plan.
        var input = new ReportInput { Log = "TAP version 13\n# ok\nok 1 yes\n\n1..1\n# tests 1\n# pass  1\n\n# ok\n" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("ok", Assert.Single(report.Tests).Id);
        Assert.True(report.SawCompletion);
    }
}
