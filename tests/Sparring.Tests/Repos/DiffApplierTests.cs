using Sparring.Repos;
using Sparring.TestUtilities;
using static Sparring.Tests.Repos.RepoTestTrees;

namespace Sparring.Tests.Repos;

public class DiffApplierTests
{
    private const string ModifyA =
        "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n";

    private const string ModifyB =
        "diff --git a/b.txt b/b.txt\n--- a/b.txt\n+++ b/b.txt\n@@ -1,3 +1,3 @@\n alpha\n-beta\n+BETA\n gamma\n";

    [Fact]
    public async Task ApplyAsync_ContextMismatch_ThrowsNamingTheFileAndLeavesTreeUnchanged()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("a.txt", "one\ntwo\nthree\n");
        tree.Write("b.txt", "alpha\nSOMETHING ELSE\ngamma\n");
        var before = Read(tree.Path);

        // Act
        var ex = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ApplyAsync(tree.Path, ModifyA + ModifyB));

        // Assert
        Assert.Contains("b.txt", ex.Message, StringComparison.Ordinal);
        Assert.Contains("b.txt", ex.GitMessage, StringComparison.Ordinal);
        Assert.StartsWith("The diff does not apply", ex.Message, StringComparison.Ordinal);
        Assert.Equal("one\ntwo\nthree\n", tree.Read("a.txt"));
        Assert.Equal(before.Keys, Read(tree.Path).Keys);
        Assert.Empty(Directory.GetFiles(tree.Path, "*.rej", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ApplyAsync_ReverseThatDoesNotApply_SaysReverse()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("a.txt", "one\ntwo\nthree\n");

        // Act
        var ex = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ApplyAsync(tree.Path, ModifyA, reverse: true));

        // Assert
        Assert.StartsWith("The diff does not reverse", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a.txt", ex.Message, StringComparison.Ordinal);
        Assert.Equal("one\ntwo\nthree\n", tree.Read("a.txt"));
    }

    [Theory]
    [InlineData("not a diff\n")]
    [InlineData("diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n")]
    [InlineData("diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n*two\n+TWO\n three\n")]
    [InlineData(ModifyA + "diff --git a/b.txt b/b.txt\n--- a/b.txt\n+++ b/b.txt\n@@ -1,3 +1,3 @@\n alpha\n")]
    public async Task ApplyAsync_MalformedText_ThrowsAndLeavesTreeUnchanged(string diff)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("a.txt", "one\ntwo\nthree\n");

        // Act
        var ex = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ApplyAsync(tree.Path, diff));

        // Assert
        Assert.NotEqual("", ex.GitMessage);
        Assert.Equal("one\ntwo\nthree\n", tree.Read("a.txt"));
        Assert.Equal(["a.txt"], Read(tree.Path).Keys);
        Assert.False(await DiffApplier.CanApplyAsync(tree.Path, diff));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public async Task ApplyAsync_EmptyDiff_IsANoOpThatCanApply(string diff)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("a.txt", "one\ntwo\nthree\n");

        // Act
        await DiffApplier.ApplyAsync(tree.Path, diff);
        await DiffApplier.ApplyAsync(tree.Path, diff, reverse: true);
        var canApply = await DiffApplier.CanApplyAsync(tree.Path, diff);
        var paths = await DiffApplier.ChangedPathsAsync(diff);

        // Assert
        Assert.Equal("one\ntwo\nthree\n", tree.Read("a.txt"));
        Assert.True(canApply);
        Assert.Empty(paths);
    }

    [Fact]
    public async Task ApplyAsync_WithoutTrailingNewline_StillApplies()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("a.txt", "one\ntwo\nthree\n");

        // Act
        await DiffApplier.ApplyAsync(tree.Path, ModifyA.TrimEnd('\n'));

        // Assert
        Assert.Equal("one\nTWO\nthree\n", tree.Read("a.txt"));
    }

    [Fact]
    public async Task CanApplyAsync_CleanAndConflictingDiffs_AnswersWithoutTouchingTheTree()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("a.txt", "one\ntwo\nthree\n");
        tree.Write("b.txt", "alpha\nbeta\ngamma\n");

        // Act
        var forward = await DiffApplier.CanApplyAsync(tree.Path, ModifyA + ModifyB);
        var reverse = await DiffApplier.CanApplyAsync(tree.Path, ModifyA, reverse: true);
        await DiffApplier.ApplyAsync(tree.Path, ModifyA);
        var afterApplyForward = await DiffApplier.CanApplyAsync(tree.Path, ModifyA);
        var afterApplyReverse = await DiffApplier.CanApplyAsync(tree.Path, ModifyA, reverse: true);

        // Assert
        Assert.True(forward);
        Assert.False(reverse);
        Assert.False(afterApplyForward);
        Assert.True(afterApplyReverse);
        Assert.Equal("alpha\nbeta\ngamma\n", tree.Read("b.txt"));
        Assert.Equal("one\nTWO\nthree\n", tree.Read("a.txt"));
    }

    [Fact]
    public async Task ChangedPathsAsync_ModifiedAddedDeletedRenamed_ListsEveryPathIncludingBothRenameNames()
    {
        // Arrange
        using var repo = new TempGitRepo();
        var body = string.Concat(Enumerable.Range(1, 12).Select(i => $"line {i}\n"));
        repo.Write("mod.txt", "a\nb\n").Write("del.txt", "gone\n").Write("src/old_name.py", body);
        var c1 = repo.Commit("one");
        repo.Write("mod.txt", "a\nB\n").Delete("del.txt").Write("added/new.txt", "new\n").Delete("src/old_name.py").Write("src/new_name.py", body + "extra\n");
        var c2 = repo.Commit("two");
        var diff = repo.Git("diff", "--binary", "-M", c1, c2);

        // Act
        var paths = await DiffApplier.ChangedPathsAsync(diff);

        // Assert
        Assert.Contains("rename from src/old_name.py", diff, StringComparison.Ordinal);
        Assert.Equal(
            ["added/new.txt", "del.txt", "mod.txt", "src/new_name.py", "src/old_name.py"],
            paths.Order(StringComparer.Ordinal));
        Assert.Equal(paths.Count, paths.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ChangedPathsAsync_NotADiff_Throws()
    {
        // Arrange
        const string Text = "hello, this is prose\n";

        // Act
        var ex = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ChangedPathsAsync(Text));

        // Assert
        Assert.NotEqual("", ex.GitMessage);
    }

    [Fact]
    public async Task ApplyAsync_PathEscapingTheTree_IsRefusedAndNothingOutsideIsWritten()
    {
        // Arrange
        using var outer = new TempDirectory();
        var tree = Path.Combine(outer.Path, "tree");
        outer.Write("tree/a.txt", "one\ntwo\nthree\n");
        outer.Write("victim.txt", "original\n");
        var escapeNew = "diff --git a/../escape.txt b/../escape.txt\nnew file mode 100644\n--- /dev/null\n+++ b/../escape.txt\n@@ -0,0 +1 @@\n+pwned\n";
        var escapeModify = "diff --git a/../victim.txt b/../victim.txt\n--- a/../victim.txt\n+++ b/../victim.txt\n@@ -1 +1 @@\n-original\n+pwned\n";

        // Act
        var newEx = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ApplyAsync(tree, ModifyA + escapeNew));
        var modifyEx = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ApplyAsync(tree, escapeModify));
        var canApply = await DiffApplier.CanApplyAsync(tree, escapeModify);

        // Assert
        Assert.Contains("escape.txt", newEx.Message, StringComparison.Ordinal);
        Assert.Contains("victim.txt", modifyEx.Message, StringComparison.Ordinal);
        Assert.False(canApply);
        Assert.False(File.Exists(Path.Combine(outer.Path, "escape.txt")));
        Assert.Equal("original\n", outer.Read("victim.txt"));
        Assert.Equal("one\ntwo\nthree\n", outer.Read("tree/a.txt"));
    }

    [Fact]
    public async Task ApplyAsync_ThroughASymlinkInTheTree_IsRefused()
    {
        // Arrange
        using var outer = new TempDirectory();
        outer.Write("outside/secret.txt", "original\n");
        outer.Write("tree/a.txt", "one\n");
        File.CreateSymbolicLink(Path.Combine(outer.Path, "tree", "link"), Path.Combine(outer.Path, "outside"));
        var diff = "diff --git a/link/secret.txt b/link/secret.txt\n--- a/link/secret.txt\n+++ b/link/secret.txt\n@@ -1 +1 @@\n-original\n+pwned\n";

        // Act
        var ex = await Assert.ThrowsAsync<DiffApplyException>(() => DiffApplier.ApplyAsync(Path.Combine(outer.Path, "tree"), diff));

        // Assert
        Assert.Contains("link/secret.txt", ex.Message, StringComparison.Ordinal);
        Assert.Equal("original\n", outer.Read("outside/secret.txt"));
    }

    [Fact]
    public async Task ApplyAsync_TreeNestedInsideAnotherRepository_AppliesToTheTreesOwnFiles()
    {
        // Arrange
        using var outerRepo = new TempGitRepo();
        outerRepo.Write("a.txt", "one\ntwo\nthree\n").Write("nested/tree/a.txt", "one\ntwo\nthree\n");
        outerRepo.Commit("outer");
        var tree = Path.Combine(outerRepo.Path, "nested", "tree");
        var addFile = "diff --git a/sub/added.txt b/sub/added.txt\nnew file mode 100644\n--- /dev/null\n+++ b/sub/added.txt\n@@ -0,0 +1 @@\n+added\n";

        // Act
        var canApply = await DiffApplier.CanApplyAsync(tree, ModifyA);
        await DiffApplier.ApplyAsync(tree, ModifyA + addFile);
        var paths = await DiffApplier.ChangedPathsAsync(ModifyA + addFile);

        // Assert
        Assert.True(canApply);
        Assert.Equal("one\nTWO\nthree\n", File.ReadAllText(Path.Combine(tree, "a.txt")));
        Assert.Equal("added\n", File.ReadAllText(Path.Combine(tree, "sub", "added.txt")));
        Assert.Equal("one\ntwo\nthree\n", outerRepo.Git("show", "HEAD:a.txt"));
        Assert.Equal("one\ntwo\nthree\n", File.ReadAllText(Path.Combine(outerRepo.Path, "a.txt")));
        Assert.False(File.Exists(Path.Combine(outerRepo.Path, "sub", "added.txt")));
        Assert.Equal(["a.txt", "sub/added.txt"], paths);
    }

    [Fact]
    public async Task ApplyAsync_TreeThatIsItselfARepository_AppliesWithoutTouchingItsIndex()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("a.txt", "one\ntwo\nthree\n").Write("b.txt", "alpha\nbeta\ngamma\n");
        repo.Commit("base");
        var index = File.ReadAllBytes(Path.Combine(repo.Path, ".git", "index"));

        // Act
        await DiffApplier.ApplyAsync(repo.Path, ModifyA + ModifyB);

        // Assert
        Assert.Equal("one\nTWO\nthree\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.Equal("alpha\nBETA\ngamma\n", File.ReadAllText(Path.Combine(repo.Path, "b.txt")));
        Assert.Equal(index, File.ReadAllBytes(Path.Combine(repo.Path, ".git", "index")));
        Assert.Equal(" M a.txt\n M b.txt\n", repo.Git("status", "--porcelain"));
    }
}
