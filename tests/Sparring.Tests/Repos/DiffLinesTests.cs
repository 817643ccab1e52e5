using Sparring.Repos;

namespace Sparring.Tests.Repos;

public sealed class DiffLinesTests
{
    private static string Kinds(string diff) => string.Join(" ", DiffLines.Read(diff).Select(l => l.Kind switch
    {
        DiffLineKind.GitHeader => "G",
        DiffLineKind.OldFile => "O",
        DiffLineKind.NewFile => "N",
        DiffLineKind.HunkHeader => "H",
        DiffLineKind.Added => "+",
        DiffLineKind.Removed => "-",
        DiffLineKind.Context => "c",
        _ => ".",
    }));

    [Fact]
    public void Read_BodyLinesThatLookLikeHeaders_StayBodyLinesByTheHunkCounts()
    {
        // Arrange: the source gained "++ b/tests/t.py" and lost "-- a/tests/t.py"; in the diff they read like a header pair.
        const string Diff = "diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n x = 1\n--- a/tests/t.py\n+++ b/tests/t.py\n";

        // Act
        var kinds = Kinds(Diff);
        var lines = DiffLines.Read(Diff).ToList();

        // Assert
        Assert.Equal("G . O N H c - + .", kinds);
        Assert.Equal("+++ b/x.py", lines.Single(l => l.Kind == DiffLineKind.NewFile).Text);
    }

    [Fact]
    public void Read_PlainDiffWithCrlf_HeaderPairsAndALonePlusLineOutsideAHunkIsAnAddition()
    {
        // Arrange
        const string Diff = "--- a.txt\r\n+++ a.txt\r\n@@ -1 +1 @@\r\n-old\r\n+new\r\n+++ stray\r\n";

        // Act
        var lines = DiffLines.Read(Diff).ToList();

        // Assert
        Assert.Equal("O N H - + + .", Kinds(Diff));
        Assert.Equal("+++ a.txt", lines[1].Text);
        Assert.Equal("+++ stray", lines[5].Text);
    }

    [Fact]
    public void Read_HunkShorterThanItsHeaderOrWithAnImpossibleCount_TheLinesAfterAreReadOneByOne()
    {
        // Arrange
        const string Short = "--- a\n+++ b\n@@ -1,5 +1,5 @@\n-x\n+y\ndiff --git a/c b/c\n";
        const string Huge = "--- a\n+++ b\n@@ -1,99999999999 +1 @@\n+++ b/tests/t\n";

        // Act, Assert
        Assert.Equal("O N H - + G .", Kinds(Short));
        Assert.Equal("O N H + .", Kinds(Huge));
    }
}
