using Sparring.Testing;

namespace Sparring.Tests.Testing;

public sealed class BaselineRequirementsTests
{
    private static readonly RunDiagnosis Missing = new()
    {
        Kind = RunDiagnosisKinds.MissingModule,
        Cause = "the Python module 'yaml' is not installed",
        Excerpt = ["E   ModuleNotFoundError: No module named 'yaml'"],
        Suggestion = "apt-get install python3-yaml",
    };

    [Fact]
    public void Check_NoPassingTest_ThrowsWithTheRunsDiagnosisInTheMessage()
    {
        // Arrange
        var run = Run([TestStatus.Error], suiteRan: true) with { Diagnosis = Missing };

        // Act
        var error = Assert.Throws<SuiteDidNotRunException>(() => new BaselineRequirements().Check(run));

        // Assert
        Assert.Same(Missing, error.Diagnosis);
        Assert.Same(run, error.Run);
        Assert.StartsWith("No test passes on the original tree (1 result(s): 0 failed, 1 error, 0 skipped)", error.Reason, StringComparison.Ordinal);
        Assert.Equal(
            [error.Reason, "why: the Python module 'yaml' is not installed", "     E   ModuleNotFoundError: No module named 'yaml'", "try: apt-get install python3-yaml"],
            error.Message.Split('\n'));
    }

    [Fact]
    public void Check_SuiteDidNotRunWithPassingTests_Throws()
    {
        // Arrange: results, but the output never reached the runner's summary (a crash half way).
        var run = Run([TestStatus.Passed, TestStatus.Passed], suiteRan: false);

        // Act
        var error = Assert.Throws<SuiteDidNotRunException>(() => new BaselineRequirements().Check(run, "task 't1'"));

        // Assert
        Assert.StartsWith("The test suite does not run on task 't1': evidence.", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunDiagnosisKinds.Unknown, error.Diagnosis.Kind);
    }

    [Theory]
    [InlineData(10, 25, 0.5, true)]
    [InlineData(13, 25, 0.5, false)]
    [InlineData(10, 25, 0.4, false)]
    [InlineData(1, 25, 0, false)]
    public void Check_ParsedShareOfTheReportedTotal_RefusedBelowTheMinimum(int parsed, int reported, double share, bool refused)
    {
        // Arrange
        var run = Run(Enumerable.Repeat(TestStatus.Passed, parsed).ToArray(), suiteRan: true) with { ReportedTotal = reported };
        var requirements = new BaselineRequirements { MinParsedShare = share }.Validate();

        // Act
        var error = Record.Exception(() => requirements.Check(run));

        // Assert
        if (!refused)
        {
            Assert.Null(error);
            return;
        }

        var suite = Assert.IsType<SuiteDidNotRunException>(error);
        Assert.Equal($"Only {parsed} of the {reported} tests the runner reports on the original tree were parsed (parser pytest); at least a share of 0.5 is required.", suite.Reason);
        Assert.Equal(RunDiagnosisKinds.Unparsed, suite.Diagnosis.Kind);
        Assert.EndsWith("--min-parsed-share 0.4", suite.Diagnosis.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoReportedTotal_OnlyTheZeroPassingRuleApplies()
    {
        // Arrange: go test and node report no total that counts the same tests.
        var run = Run([TestStatus.Passed], suiteRan: true) with { ReportedTotal = null };

        // Act
        var error = Record.Exception(() => new BaselineRequirements { MinParsedShare = 1 }.Check(run));

        // Assert
        Assert.Null(error);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_ShareOutsideZeroToOne_Throws(double share)
    {
        // Act
        var error = Assert.Throws<ArgumentException>(() => new BaselineRequirements { MinParsedShare = share }.Validate());

        // Assert
        Assert.Contains("between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    private static TestRun Run(TestStatus[] statuses, bool suiteRan) => new()
    {
        Runner = "pytest",
        Command = "python3 -m pytest",
        Parser = "pytest",
        ExitCode = 1,
        TimedOut = false,
        OutputTruncated = false,
        Tests = statuses.Select((s, i) => new TestResult { Id = $"t{i}", Status = s }).ToList(),
        SuiteRan = suiteRan,
        Evidence = "evidence",
        Disagreements = [],
        Warnings = [],
    };
}
