using System.Text;
using Sparring.Repos;
using Sparring.TestUtilities;
using static Sparring.Tests.Repos.RepoTestTrees;

namespace Sparring.Tests.Repos;

public class TreeDiffTests
{
    private static readonly string TwentyLines = string.Concat(Enumerable.Range(1, 20).Select(i => $"line {i} of the original text\n"));

    [Fact]
    public async Task DiffAsync_ModifiedTextFile_MatchesGitDiffAndRoundTrips()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("src/app.py", TwentyLines).Write("README.md", "readme\n"),
            r => r.Write("src/app.py", TwentyLines.Replace("line 7 of", "LINE SEVEN of", StringComparison.Ordinal)));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.StartsWith("diff --git a/src/app.py b/src/app.py\n", diff, StringComparison.Ordinal);
        Assert.Contains("-line 7 of the original text\n+LINE SEVEN of the original text\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("README.md", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_AddedFile_MatchesGitDiffAndRoundTrips()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("a.txt", "a\n"),
            r => r.Write("b.txt", "new file\nsecond line\n"));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("new file mode 100644\n", diff, StringComparison.Ordinal);
        Assert.Contains("--- /dev/null\n+++ b/b.txt\n@@ -0,0 +1,2 @@\n+new file\n+second line\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_DeletedFile_MatchesGitDiffAndRoundTrips()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("keep.txt", "keep\n").Write("lib/gone.txt", "one\ntwo\n"),
            r => r.Delete("lib/gone.txt"));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("deleted file mode 100644\n", diff, StringComparison.Ordinal);
        Assert.Contains("--- a/lib/gone.txt\n+++ /dev/null\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_RenamedFileWithoutEdits_IsAPureRename()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("old/name.txt", TwentyLines),
            r => r.Delete("old/name.txt").Write("new/name.txt", TwentyLines));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("similarity index 100%\nrename from old/name.txt\nrename to new/name.txt\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("@@", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_RenamedFileWithEdits_IsARenameWithAHunk()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("calc.py", TwentyLines),
            r => r.Delete("calc.py").Write("pkg/calc.py", TwentyLines.Replace("line 3 of", "line three of", StringComparison.Ordinal)));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("rename from calc.py\nrename to pkg/calc.py\n", diff, StringComparison.Ordinal);
        Assert.Contains("+line three of the original text\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted file mode", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_ModeChange_MatchesGitDiffAndRoundTripsTheExecBit()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("run.sh", "#!/bin/sh\necho hi\n"),
            r => MakeExecutable(Path.Combine(r.Path, "run.sh")));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Equal("diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n", diff);
    }

    [Fact]
    public async Task DiffAsync_BinaryFileAddedThenChanged_IsAGitBinaryPatch()
    {
        // Arrange
        var first = Enumerable.Range(0, 600).Select(i => (byte)(i * 7 % 256)).ToArray();
        var second = first.Select((b, i) => i % 50 == 0 ? (byte)(b ^ 0xff) : b).ToArray();
        using var added = TwoTrees.Build(
            r => r.Write("a.txt", "a\n"),
            r => WriteBytes(r, "img/logo.bin", first));
        using var changed = TwoTrees.Build(
            r => WriteBytes(r, "img/logo.bin", first),
            r => WriteBytes(r, "img/logo.bin", second));

        // Act
        var addedDiff = await TreeDiff.DiffAsync(added.Before, added.After);
        var changedDiff = await TreeDiff.DiffAsync(changed.Before, changed.After);

        // Assert
        await added.AssertMatchesGitAndRoundTripsAsync(addedDiff);
        await changed.AssertMatchesGitAndRoundTripsAsync(changedDiff);
        Assert.Contains("GIT binary patch\nliteral 600\n", addedDiff, StringComparison.Ordinal);
        Assert.Contains("GIT binary patch\n", changedDiff, StringComparison.Ordinal);
        Assert.DoesNotContain("Binary files", changedDiff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_FileWithoutTrailingNewline_MarksNoNewlineAtEndOfFile()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("n.txt", "first\nlast"),
            r => r.Write("n.txt", "first\nlast changed"));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("-last\n\\ No newline at end of file\n+last changed\n\\ No newline at end of file\n", diff, StringComparison.Ordinal);
        Assert.EndsWith("\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_FileInNewNestedDirectory_UsesTreeRelativePaths()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("top.txt", "top\n"),
            r => r.Write("a/b/c/deep.txt", "deep\n"));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("diff --git a/a/b/c/deep.txt b/a/b/c/deep.txt\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain(trees.After, diff, StringComparison.Ordinal);
        Assert.DoesNotContain(trees.Before, diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_EmptyTreeToNonEmptyAndBack_AddsAndDeletesEverything()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            _ => { },
            r => r.Write("one.txt", "1\n").Write("dir/two.txt", "2\n"));

        // Act
        var forward = await TreeDiff.DiffAsync(trees.Before, trees.After);
        var backward = await TreeDiff.DiffAsync(trees.After, trees.Before);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(forward);
        Assert.Equal(trees.Repo.Git("diff", "--binary", "-M", trees.SecondCommit, trees.FirstCommit), backward);
        Assert.Equal(2, CountOf(forward, "new file mode"));
        Assert.Equal(2, CountOf(backward, "deleted file mode"));
    }

    [Fact]
    public async Task DiffAsync_IdenticalTrees_ReturnsEmpty()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("same.txt", "same\n").Write("sub/x.py", "x = 1\n"),
            _ => { });

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);
        var self = await TreeDiff.DiffAsync(trees.After, trees.After);

        // Assert
        Assert.Equal("", diff);
        Assert.Equal("", self);
        Assert.Equal("", trees.Repo.Git("diff", "--binary", "-M", trees.FirstCommit, trees.SecondCommit));
    }

    [Fact]
    public async Task DiffAsync_SymlinkAdded_MatchesGitDiffAndRoundTrips()
    {
        // Arrange
        using var trees = TwoTrees.Build(
            r => r.Write("target.txt", "t\n"),
            r => File.CreateSymbolicLink(Path.Combine(r.Path, "link.txt"), "target.txt"));

        // Act
        var diff = await TreeDiff.DiffAsync(trees.Before, trees.After);

        // Assert
        await trees.AssertMatchesGitAndRoundTripsAsync(diff);
        Assert.Contains("new file mode 120000\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiffAsync_IgnoredBuildOutputAndGitDirectories_AreNotInTheDiff()
    {
        // Arrange
        using var dirs = new TempDirectory();
        var before = dirs.Write("before/src/main.c", "int main() { return 0; }\n");
        dirs.Write("before/.gitignore", "build/\n*.o\n");
        dirs.Write("after/.gitignore", "build/\n*.o\n");
        dirs.Write("after/src/main.c", "int main() { return 1; }\n");
        dirs.Write("after/build/app", "compiled");
        dirs.Write("after/src/main.o", "object");
        dirs.Write("after/.git/HEAD", "ref: refs/heads/main\n");
        dirs.Write("after/.git/config", "[core]\n");
        dirs.Write("before/.git/HEAD", "ref: refs/heads/other\n");

        // Act
        var diff = await TreeDiff.DiffAsync(Path.Combine(dirs.Path, "before"), Path.Combine(dirs.Path, "after"));

        // Assert
        Assert.Contains("diff --git a/src/main.c b/src/main.c\n", diff, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(diff, "diff --git"));
        Assert.DoesNotContain("build/app", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("main.o", diff, StringComparison.Ordinal);
        Assert.DoesNotContain(".git/", diff, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dirs.Path, "before", ".git", "index")));
        Assert.Equal(["HEAD"], Directory.GetFiles(Path.Combine(dirs.Path, "before", ".git")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DiffAsync_MissingDirectory_ThrowsDirectoryNotFound()
    {
        // Arrange
        using var dirs = new TempDirectory();

        // Act
        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => TreeDiff.DiffAsync(dirs.Path, Path.Combine(dirs.Path, "nope")));

        // Assert
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    private static void WriteBytes(TempGitRepo repo, string relativePath, byte[] bytes)
    {
        var full = Path.Combine(repo.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>A real repository with two commits, plus copies of its tree at each (the repository itself is the "after" tree).</summary>
    private sealed class TwoTrees : IDisposable
    {
        private readonly TempDirectory _scratch = new();

        private TwoTrees(TempGitRepo repo) => Repo = repo;

        public TempGitRepo Repo { get; }
        public string FirstCommit { get; private set; } = "";
        public string SecondCommit { get; private set; } = "";
        public string Before => Path.Combine(_scratch.Path, "before");
        public string After => Repo.Path;

        public static TwoTrees Build(Action<TempGitRepo> first, Action<TempGitRepo> second)
        {
            var trees = new TwoTrees(new TempGitRepo());
            first(trees.Repo);
            trees.FirstCommit = trees.Repo.Commit("before");
            CopyTree(trees.Repo.Path, trees.Before);
            second(trees.Repo);
            trees.SecondCommit = trees.Repo.Commit("after");
            return trees;
        }

        /// <summary>The diff is byte-identical to git's own, applies to a copy of "before" giving "after", and reverses back.</summary>
        public async Task AssertMatchesGitAndRoundTripsAsync(string diff)
        {
            var expected = Repo.Git("diff", "--binary", "-M", FirstCommit, SecondCommit);
            Assert.Equal(expected, diff);
            Assert.NotEqual("", diff);

            var applied = Path.Combine(_scratch.Path, "applied");
            if (Directory.Exists(applied))
            {
                Directory.Delete(applied, recursive: true);
            }

            CopyTree(Before, applied);
            Directory.Delete(Path.Combine(applied, ".git"), recursive: true);
            await DiffApplier.ApplyAsync(applied, diff);
            AssertSame(After, applied);
            await DiffApplier.ApplyAsync(applied, diff, reverse: true);
            AssertSame(Before, applied);
            Assert.Equal(diff, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(diff)));
        }

        public void Dispose()
        {
            Repo.Dispose();
            _scratch.Dispose();
        }
    }
}
