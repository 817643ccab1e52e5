using Sparring.Testing;
using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class DeterminismFilterTests
{
    private static Dictionary<string, TestStatus> Run(params (string Id, string Status)[] tests) =>
        tests.ToDictionary(t => t.Id, t => new TestStatus(t.Status), StringComparer.Ordinal);

    [Fact]
    public void Apply_FlakyTest_TaskDroppedNamingTheFlippedTests()
    {
        // Arrange
        var stable = new TaskTestRuns
        {
            TaskId = "stable",
            Runs = [Run(("a", "passed"), ("b", "failed")), Run(("b", "failed"), ("a", "passed")), Run(("a", "PASSED"), ("b", "failed"))],
        };
        var flaky = new TaskTestRuns
        {
            TaskId = "flaky",
            Runs = [Run(("t1", "passed"), ("t2", "passed"), ("t3", "passed")), Run(("t1", "failed"), ("t2", "passed")), Run(("t1", "passed"), ("t2", "passed"), ("t3", "passed"))],
        };

        // Act
        var result = DeterminismFilter.Apply([stable, flaky]);
        var flips = DeterminismFilter.FindFlips(flaky);

        // Assert
        Assert.Equal([stable], result.Kept);
        var removed = Assert.Single(result.Removed);
        Assert.Same(flaky, removed.Item);
        Assert.Equal("determinism", removed.Filter);
        Assert.Equal("flaky over 3 runs: t1 [passed, failed, passed]; t3 [passed, missing, passed]", removed.Reason);
        Assert.Equal(["t1", "t3"], flips.Select(f => f.TestId));
        Assert.Equal([TestStatus.Passed, TestStatus.Failed, TestStatus.Passed], flips[0].Statuses);
        Assert.Null(flips[1].Statuses[1]);
        Assert.Empty(DeterminismFilter.FindFlips(stable));
    }

    [Fact]
    public void Apply_TooFewRuns_DroppedAsUnjudged()
    {
        // Arrange
        var once = new TaskTestRuns { TaskId = "once", Runs = [Run(("a", "passed"))] };
        var never = new TaskTestRuns { TaskId = "never", Runs = [] };
        var twice = new TaskTestRuns { TaskId = "twice", Runs = [Run(("a", "passed")), Run(("a", "passed"))] };

        // Act
        var result = DeterminismFilter.Apply([once, never, twice]);
        var strict = DeterminismFilter.Apply([twice], new DeterminismOptions { MinRuns = 3 });

        // Assert
        Assert.Equal([twice], result.Kept);
        Assert.Equal(["1 runs; determinism needs at least 2", "0 runs; determinism needs at least 2"], result.Removed.Select(d => d.Reason));
        Assert.Empty(strict.Kept);
        Assert.Throws<ArgumentException>(() => DeterminismFilter.Apply([], new DeterminismOptions { MinRuns = 1 }));
    }

    [Fact]
    public void Apply_EmptyInput_EmptyResult()
    {
        // Arrange, Act
        var result = DeterminismFilter.Apply([]);

        // Assert
        Assert.Empty(result.Kept);
        Assert.Empty(result.Removed);
    }
}
