using Sparring.Repos;
using Sparring.TestUtilities;

namespace Sparring.Tests.Repos;

public sealed class UnifiedDiffTests
{
    private static readonly string ThirtyLines = string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i}\n"));

    [Fact]
    public async Task Parse_GitDiffOfTwoFiles_SectionsWithPathsAndRangesThatRebuildTheDiff()
    {
        // Arrange
        using var before = new TempDirectory();
        before.Write("src/app.py", ThirtyLines);
        before.Write("src/old.py", "x = 1\n");
        using var after = new TempDirectory();
        after.Write("src/app.py", ThirtyLines.Replace("line 3\n", "LINE 3\n", StringComparison.Ordinal).Replace("line 27\n", "", StringComparison.Ordinal));
        after.Write("src/new.py", "x = 1\n");
        var diff = await TreeDiff.DiffAsync(before.Path, after.Path);

        // Act
        var sections = UnifiedDiff.Parse("preamble that is not a diff\n" + diff);

        // Assert
        Assert.Equal(["src/app.py", "src/new.py"], sections.Select(s => s.Path));
        var app = sections[0];
        Assert.Equal([(1, 6, 6), (24, 7, 30)], app.Hunks.Select(h => (h.OldStart, h.OldCount, h.OldEnd)));
        Assert.StartsWith("diff --git a/src/app.py b/src/app.py\n", app.Header, StringComparison.Ordinal);
        Assert.Contains("+LINE 3\n", app.Hunks[0].Text, StringComparison.Ordinal);
        Assert.Empty(sections[1].Hunks);
        Assert.Contains("rename to src/new.py", sections[1].Header, StringComparison.Ordinal);
        Assert.Equal(diff, string.Concat(sections.Select(s => s.Text)));
    }

    [Fact]
    public async Task Parse_SectionWithOneHunkLeftOut_StillAppliesAlone()
    {
        // Arrange
        using var before = new TempDirectory();
        before.Write("app.py", ThirtyLines);
        using var after = new TempDirectory();
        after.Write("app.py", ThirtyLines.Replace("line 2\n", "LINE 2\n", StringComparison.Ordinal).Replace("line 29\n", "LINE 29\n", StringComparison.Ordinal));
        var section = UnifiedDiff.Parse(await TreeDiff.DiffAsync(before.Path, after.Path)).Single();

        // Act
        var second = section with { Hunks = [section.Hunks[1]] };
        await DiffApplier.ApplyAsync(before.Path, second.Text);

        // Assert
        Assert.Equal(2, section.Hunks.Count);
        var applied = before.Read("app.py");
        Assert.Contains("line 2\n", applied, StringComparison.Ordinal);
        Assert.Contains("LINE 29\n", applied, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PlainDiffOrUnreadableHunkHeader_NoSectionOrAZeroRange()
    {
        // Arrange
        const string Plain = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n";
        const string Unreadable = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ garbled @@\n-a\n+b";

        // Act
        var plain = UnifiedDiff.Parse(Plain);
        var unreadable = UnifiedDiff.Parse(Unreadable).Single();

        // Assert
        Assert.Empty(plain);
        Assert.Equal("x.py", unreadable.Path);
        var hunk = Assert.Single(unreadable.Hunks);
        Assert.Equal((0, 1, 0), (hunk.OldStart, hunk.OldCount, hunk.OldEnd));
        Assert.Equal("@@ garbled @@\n-a\n+b\n", hunk.Text);
    }

    [Fact]
    public void Join_DiffsWithAndWithoutFinalNewline_EachEndsInOneAndEmptyOnesAreLeftOut()
    {
        // Arrange
        string[] diffs = ["diff --git a/x b/x\n", "", "diff --git a/y b/y"];

        // Act
        var joined = UnifiedDiff.Join(diffs);

        // Assert
        Assert.Equal("diff --git a/x b/x\ndiff --git a/y b/y\n", joined);
    }
}
