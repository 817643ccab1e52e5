using Sparring.Repos;

namespace Sparring.Tests.Repos;

public sealed class DiffStatsTests
{
    // `git diff --cached` output from a scratch repository: a modified file, a pure rename, and a rename with an edit.
    private const string Renames = """
        diff --git a/keep.txt b/keep.txt
        index b566061..9642008 100644
        --- a/keep.txt
        +++ b/keep.txt
        @@ -1,5 +1,5 @@
         one
        -two
        +TWO
         three
         four
         five
        diff --git a/pure.txt b/moved.txt
        similarity index 100%
        rename from pure.txt
        rename to moved.txt
        diff --git a/old_name.py b/new_name.py
        similarity index 86%
        rename from old_name.py
        rename to new_name.py
        index 1e395f2..afa37bf 100644
        --- a/old_name.py
        +++ b/new_name.py
        @@ -1,7 +1,7 @@
         alpha
         beta
         gamma
        -delta
        +DELTA
         epsilon
         zeta
         eta

        """;

    [Fact]
    public void Count_RenamesAndAnEdit_OneFilePerGitHeader()
    {
        // Arrange, Act
        var stats = DiffStats.Count(Renames);

        // Assert: the pure rename counts as a file with no lines.
        Assert.Equal(3, stats.Files);
        Assert.Equal(2, stats.AddedLines);
        Assert.Equal(2, stats.RemovedLines);
        Assert.Equal(4, stats.ChangedLines);
    }

    [Fact]
    public void Count_BinaryFiles_FileWithoutLines()
    {
        // Arrange: the plain form, then the `--binary` form whose base85 data must not count as lines.
        const string diff = """
            diff --git a/img.bin b/img.bin
            index 8352675..ef2caff 100644
            Binary files a/img.bin and b/img.bin differ
            diff --git a/logo.png b/logo.png
            index 8352675d67aed6625ece79af41c27fdb4ee2e867..ef2caffcda6e1bd757164a29c6f81be03d172fd5 100644
            GIT binary patch
            literal 4
            LcmZQzWM%;X01*HQ

            literal 3
            KcmZQzWC8#H2LJ>B

            diff --git a/a.txt b/a.txt
            --- a/a.txt
            +++ b/a.txt
            @@ -1 +1 @@
            -x
            +y
            """;

        // Act
        var stats = DiffStats.Count(diff);

        // Assert
        Assert.Equal(3, stats.Files);
        Assert.Equal(1, stats.AddedLines);
        Assert.Equal(1, stats.RemovedLines);
    }

    [Fact]
    public void Count_ChangedLinesThatLookLikeHeaders_CountedAsLines()
    {
        // Arrange: removing "-- comment" and adding "++ x" gives body lines "--- comment" and "+++ x".
        const string diff = """
            diff --git a/q.sql b/q.sql
            index 8f04ea4..6bcb0db 100644
            --- a/q.sql
            +++ b/q.sql
            @@ -1,3 +1,3 @@
             select 1;
            --- comment
            +++ x
             select 2;
            """;

        // Act
        var stats = DiffStats.Count(diff);

        // Assert
        Assert.Equal(1, stats.Files);
        Assert.Equal(1, stats.AddedLines);
        Assert.Equal(1, stats.RemovedLines);
    }

    [Fact]
    public void Count_NewAndDeletedFilesWithCrlfAndNoNewlineMarker_Counted()
    {
        // Arrange
        var diff = string.Join("\r\n",
            "diff --git a/new.txt b/new.txt",
            "new file mode 100644",
            "index 0000000..e69de29",
            "--- /dev/null",
            "+++ b/new.txt",
            "@@ -0,0 +1,2 @@",
            "+a",
            "+b",
            "\\ No newline at end of file",
            "diff --git a/gone.txt b/gone.txt",
            "deleted file mode 100644",
            "--- a/gone.txt",
            "+++ /dev/null",
            "@@ -1,3 +0,0 @@",
            "-x",
            "-y",
            "-z",
            "");

        // Act
        var stats = DiffStats.Count(diff);

        // Assert
        Assert.Equal(2, stats.Files);
        Assert.Equal(2, stats.AddedLines);
        Assert.Equal(3, stats.RemovedLines);
    }

    [Fact]
    public void Count_PlainUnifiedDiffWithoutGitHeaders_OneFilePerHeaderPair()
    {
        // Arrange
        const string diff = """
            --- a/one.c
            +++ b/one.c
            @@ -1,2 +1,2 @@
             int x;
            -int y;
            +long y;
            --- a/two.c
            +++ b/two.c
            @@ -4 +4,2 @@
            -a
            +b
            +c
            """;

        // Act
        var stats = DiffStats.Count(diff);

        // Assert
        Assert.Equal(2, stats.Files);
        Assert.Equal(3, stats.AddedLines);
        Assert.Equal(2, stats.RemovedLines);
    }

    [Fact]
    public void Count_Empty_Zero()
    {
        // Arrange, Act
        var stats = DiffStats.Count("");

        // Assert
        Assert.Equal(new DiffStats { Files = 0, AddedLines = 0, RemovedLines = 0 }, stats);
    }
}
