using Sparring.Testing;

namespace Sparring.Tests.Testing;

public sealed class FlakyTestsTests
{
    private static Dictionary<string, TestStatus> Run(params (string Id, string Status)[] tests) =>
        tests.ToDictionary(t => t.Id, t => new TestStatus(t.Status), StringComparer.Ordinal);

    [Fact]
    public void Find_TestsThatFlipOrGoMissing_NamedWithTheirStatusInEachRun()
    {
        // Arrange
        IReadOnlyDictionary<string, TestStatus>[] stable = [Run(("a", "passed"), ("b", "failed")), Run(("b", "failed"), ("a", "passed")), Run(("a", "PASSED"), ("b", "failed"))];
        IReadOnlyDictionary<string, TestStatus>[] flaky = [Run(("t1", "passed"), ("t2", "passed"), ("t3", "passed")), Run(("t1", "failed"), ("t2", "passed")), Run(("t1", "passed"), ("t2", "passed"), ("t3", "passed"))];

        // Act
        var flips = FlakyTests.Find(flaky);

        // Assert
        Assert.Empty(FlakyTests.Find(stable));
        Assert.Equal(["t1", "t3"], flips.Select(f => f.TestId));
        Assert.Equal([TestStatus.Passed, TestStatus.Failed, TestStatus.Passed], flips[0].Statuses);
        Assert.Null(flips[1].Statuses[1]);
        Assert.Equal(["t1 [passed, failed, passed]", "t3 [passed, missing, passed]"], flips.Select(FlakyTests.Describe));
    }

    [Fact]
    public void Find_OneRunOrNone_NothingFlips()
    {
        // Act, Assert
        Assert.Empty(FlakyTests.Find(Array.Empty<IReadOnlyDictionary<string, TestStatus>>()));
        Assert.Empty(FlakyTests.Find([Run(("a", "failed"))]));
    }

    [Fact]
    public void Find_TestRuns_ReadsEachRunsResultsAndTheFirstOfADuplicateId()
    {
        // Arrange
        static TestRun Of(params (string Id, TestStatus Status)[] tests) => new()
        {
            Runner = "pytest",
            Command = "pytest",
            Parser = "junit",
            ExitCode = 0,
            TimedOut = false,
            OutputTruncated = false,
            Tests = [.. tests.Select(t => new TestResult { Id = t.Id, Status = t.Status })],
            SuiteRan = true,
            Evidence = "test",
            Disagreements = [],
            Warnings = [],
        };

        // Act
        var flips = FlakyTests.Find([Of(("a", TestStatus.Passed), ("a", TestStatus.Failed)), Of(("a", TestStatus.Passed)), Of(("a", TestStatus.Failed))]);

        // Assert
        Assert.Equal("a [passed, passed, failed]", FlakyTests.Describe(Assert.Single(flips)));
    }
}
