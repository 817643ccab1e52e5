using System.Text;
using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class TaskSizeFilterTests
{
    /// <summary>A git diff changing <paramref name="files"/> files, <paramref name="addedPerFile"/> added lines each.</summary>
    private static string Diff(int files, int addedPerFile)
    {
        var text = new StringBuilder();
        for (var f = 0; f < files; f++)
        {
            text.Append("diff --git a/f").Append(f).Append(" b/f").Append(f).Append('\n')
                .Append("--- a/f").Append(f).Append("\n+++ b/f").Append(f).Append('\n')
                .Append("@@ -0,0 +1,").Append(addedPerFile).Append(" @@\n");
            for (var l = 0; l < addedPerFile; l++)
            {
                text.Append("+line\n");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void Apply_DefaultLimits_SixFilesKeptSevenDropped()
    {
        // Arrange
        var six = new TaskDiff { TaskId = "six", Diff = Diff(6, 1) };
        var seven = new TaskDiff { TaskId = "seven", Diff = Diff(7, 1) };

        // Act
        var result = TaskSizeFilter.Apply([six, seven]);

        // Assert
        Assert.Equal([six], result.Kept);
        var removed = Assert.Single(result.Removed);
        Assert.Same(seven, removed.Item);
        Assert.Equal("task-size", removed.Filter);
        Assert.Equal("7 changed files (limit: fewer than 7)", removed.Reason);
    }

    [Fact]
    public void Apply_DefaultLimits_499LinesKept500Dropped()
    {
        // Arrange
        var under = new TaskDiff { TaskId = "under", Diff = Diff(1, 499) };
        var at = new TaskDiff { TaskId = "at", Diff = Diff(1, 500) };

        // Act
        var result = TaskSizeFilter.Apply([under, at]);

        // Assert
        Assert.Equal([under], result.Kept);
        Assert.Equal("500 changed lines, +500 −0 (limit: fewer than 500)", Assert.Single(result.Removed).Reason);
    }

    [Fact]
    public void Apply_BothTooLargeAndCustomLimits_BothReasonsAndOptionsHonoured()
    {
        // Arrange
        var big = new TaskDiff { TaskId = "big", Diff = Diff(3, 4) };
        var options = new TaskSizeOptions { ChangedFilesLimit = 3, ChangedLinesLimit = 12 };

        // Act
        var strict = TaskSizeFilter.Apply([big], options);
        var loose = TaskSizeFilter.Apply([big]);

        // Assert
        Assert.Equal("3 changed files (limit: fewer than 3); 12 changed lines, +12 −0 (limit: fewer than 12)", Assert.Single(strict.Removed).Reason);
        Assert.Equal([big], loose.Kept);
        Assert.Throws<ArgumentException>(() => TaskSizeFilter.Apply([], new TaskSizeOptions { ChangedLinesLimit = 0 }));
    }
}
