using Sparring.Repos;

namespace Sparring.Tests.Repos;

public sealed class DiffHunkRangeTests
{
    [Fact]
    public void Parse_HeadersWithAndWithoutCounts_CountsLeftOutAreOne()
    {
        // Arrange
        const string Full = "@@ -12,7 +12,9 @@ def parse(text):";
        const string Short = "@@ -3 +0,0 @@";

        // Act
        var full = DiffHunkRange.Parse(Full);
        var brief = DiffHunkRange.Parse(Short);

        // Assert
        Assert.NotNull(full);
        Assert.Equal((12, 7, 12, 9), (full.OldStart, full.OldCount, full.NewStart, full.NewCount));
        Assert.NotNull(brief);
        Assert.Equal((3, 1, 0, 0), (brief.OldStart, brief.OldCount, brief.NewStart, brief.NewCount));
    }

    [Fact]
    public void Parse_NotAHeader_Null()
    {
        // Arrange
        string[] lines = ["@@@ -1,2 +1,2 @@@", " @@ -1 +1 @@", "@@ -a +1 @@", "+@@ -1 +1 @@", ""];

        // Act
        var ranges = lines.Select(DiffHunkRange.Parse).ToList();

        // Assert
        Assert.All(ranges, Assert.Null);
    }

    [Fact]
    public void Parse_NumberTooLargeForAnInt_ThrowsOnlyWhenThatNumberIsRead()
    {
        // Arrange
        const string Line = "@@ -5,2 +99999999999,3 @@";

        // Act
        var range = DiffHunkRange.Parse(Line);

        // Assert
        Assert.NotNull(range);
        Assert.Equal((5, 2, 3), (range.OldStart, range.OldCount, range.NewCount));
        Assert.Throws<OverflowException>(() => range.NewStart);
    }
}
