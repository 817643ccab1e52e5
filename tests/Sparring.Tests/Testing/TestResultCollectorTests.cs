using Sparring.Testing;
using Sparring.Testing.Parsers;

namespace Sparring.Tests.Testing;

public class TestResultCollectorTests
{
    [Fact]
    public void Add_DuplicateIds_WorseStatusWinsAndOrderIsKept()
    {
        // Arrange
        var collector = new TestResultCollector();

        // Act
        collector.Add("a", TestStatus.Passed, 1);
        collector.Add("b", TestStatus.Failed, null, "first");
        collector.Add("a", TestStatus.Skipped);
        collector.Add("b", TestStatus.Passed, 5, "ignored");
        collector.Add("a", TestStatus.Error, null, "boom");
        var report = collector.Build(sawCompletion: true);

        // Assert
        Assert.Equal(["a", "b"], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Error, report.Tests[0].Status);
        Assert.Equal(1, report.Tests[0].DurationMs);
        Assert.Equal("boom", report.Tests[0].Message);
        Assert.Equal(TestStatus.Failed, report.Tests[1].Status);
        Assert.Equal("first", report.Tests[1].Message);
    }

    [Fact]
    public void Add_RepeatsNumbered_EachRepeatIsItsOwnResultInOrder()
    {
        // Arrange
        var collector = new TestResultCollector(numberRepeats: true);

        // Act: a title that is itself "x [#2]" already took the name the second "x" would get.
        collector.Add("f > x", TestStatus.Passed);
        collector.Add("f > x [#2]", TestStatus.Passed);
        collector.Add("f > x", TestStatus.Failed, null, "second");
        collector.Add("f > x", TestStatus.Skipped);
        collector.AddMerged("f", TestStatus.Error, null, "hook");
        collector.AddMerged("f", TestStatus.Error, null, "hook again");
        var report = collector.Build(sawCompletion: true);

        // Assert
        Assert.Equal(["f > x", "f > x [#2]", "f > x [#3]", "f > x [#4]", "f"], report.Tests.Select(t => t.Id));
        Assert.Equal([TestStatus.Passed, TestStatus.Passed, TestStatus.Failed, TestStatus.Skipped, TestStatus.Error], report.Tests.Select(t => t.Status));
        Assert.Equal("second", report.Tests[2].Message);
        Assert.Equal("hook", report.Tests[4].Message);
    }

    [Fact]
    public void Add_LongMessageAndManyWarnings_AreCapped()
    {
        // Arrange
        var collector = new TestResultCollector();

        // Act
        collector.Add("a", TestStatus.Failed, null, new string('x', 2000));
        for (var i = 0; i < 80; i++)
        {
            collector.Warn($"w{i}");
        }

        var report = collector.Build(sawCompletion: false);

        // Assert
        Assert.Equal(500, report.Tests[0].Message!.Length);
        Assert.Equal(51, report.Warnings.Count);
        Assert.Equal("30 more warnings were left out.", report.Warnings[^1]);
    }
}
