using Sparring.Repos;
using Sparring.TestUtilities;

namespace Sparring.Tests.Repos;

public sealed class RepoPathsTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("../victim", "'..'")]
    [InlineData("tests/../../victim", "'..'")]
    [InlineData("tests/..", "'..'")]
    [InlineData("..\\victim", "backslash")]
    [InlineData("tests\\test_a.py", "backslash")]
    [InlineData("tests/a\0.py", "control character")]
    [InlineData("tests/a.py\n../../victim", "control character")]
    [InlineData("tests/a.py\r", "control character")]
    [InlineData(".git/config", ".git")]
    [InlineData("sub/.git/hooks/pre-commit", ".git")]
    [InlineData(".GIT/config", ".git")]
    [InlineData("tests//a.py", "empty or '.' segment")]
    [InlineData("./tests/a.py", "empty or '.' segment")]
    [InlineData("tests/", "empty or '.' segment")]
    public void Check_UnsafeForm_ThrowsNamingPathOriginAndReason(string path, string reason)
    {
        // Arrange
        using var tree = new TempDirectory();

        // Act
        var ex = Assert.Throws<UnsafePathException>(() => RepoPaths.Check(tree.Path, path, "test_files.txt of artifact 'a'"));

        // Assert: one line, naming the path (escaped), where it came from and why.
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.Equal(path, ex.Path);
        Assert.Equal("test_files.txt of artifact 'a'", ex.Origin);
        Assert.StartsWith($"test_files.txt of artifact 'a' names '{UnsafePathException.Display(path)}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\0', ex.Message);
        Assert.NotNull(RepoPaths.ProblemOf(path));
    }

    [Theory]
    [InlineData("src/a.py")]
    [InlineData("tests/test_a.py")]
    [InlineData("not/there/yet.py")]
    [InlineData("a..b/c...d")]
    [InlineData(".github/workflows/ci.yml")]
    [InlineData("dir with space/file name.txt")]
    public void Check_PlainPath_ReturnsItUnderTheTree(string path)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("src/a.py", "x = 1\n");

        // Act
        var full = RepoPaths.Check(tree.Path, path, "a patch");

        // Assert
        Assert.Equal(Path.Combine(tree.Path, path), full);
        Assert.Null(RepoPaths.ProblemOf(tree.Path, path));
    }

    [Fact]
    public void Check_SymlinksOutOfTheTree_ThrowsWhereverTheLinkSits()
    {
        // Arrange: links out by absolute and relative targets, in the middle, at the end, dangling, and a link to
        // "." followed by a relative link: as text "root/here/up/victim" is inside, as the kernel walks it, it is not.
        using var outside = new TempDirectory();
        using var tree = new TempDirectory();
        var victim = outside.Write("victim", "host file\n");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "absolute"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(tree.Path, "relative"), Path.GetRelativePath(tree.Path, outside.Path));
        File.CreateSymbolicLink(Path.Combine(tree.Path, "file-link"), victim);
        File.CreateSymbolicLink(Path.Combine(tree.Path, "dangling"), Path.Combine(outside.Path, "not-yet"));
        File.CreateSymbolicLink(Path.Combine(tree.Path, "here"), ".");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "up"), "../" + Path.GetFileName(outside.Path));
        Directory.CreateDirectory(Path.Combine(tree.Path, "sub"));
        File.CreateSymbolicLink(Path.Combine(tree.Path, "sub", "parent"), "..");

        // Act, Assert
        foreach (var path in new[] { "absolute/victim", "absolute/new/file.py", "relative/victim", "file-link", "dangling", "here/up/victim", "sub/parent/absolute/victim" })
        {
            var ex = Assert.Throws<UnsafePathException>(() => RepoPaths.Check(tree.Path, path, "test_files.txt"));
            Assert.Contains("symbolic link", ex.Reason, StringComparison.Ordinal);
        }

        Assert.Equal("host file\n", File.ReadAllText(victim));
    }

    [Fact]
    public void Check_SymlinksInsideTheTree_Pass()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("src/real/a.py", "x = 1\n");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "alias"), "src/real");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "src", "a-link.py"), "real/a.py");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "src", "up"), "..");

        // Act, Assert
        foreach (var path in new[] { "alias/a.py", "src/a-link.py", "src/up/src/real/a.py", "alias/new.py" })
        {
            Assert.Null(RepoPaths.ProblemOf(tree.Path, path));
        }
    }

    [Fact]
    public void Check_LinkLoop_Throws()
    {
        // Arrange
        using var tree = new TempDirectory();
        File.CreateSymbolicLink(Path.Combine(tree.Path, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(tree.Path, "b"), "a");

        // Act
        var ex = Assert.Throws<UnsafePathException>(() => RepoPaths.Check(tree.Path, "a/x", "a patch"));

        // Assert
        Assert.Contains("loop", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckAll_OneBadPathAmongGood_ThrowsForTheBadOne()
    {
        // Arrange
        using var tree = new TempDirectory();

        // Act
        var ex = Assert.Throws<UnsafePathException>(() => RepoPaths.CheckAll(tree.Path, ["tests/a.py", "/etc/shadow", "tests/b.py"], "bug_inject.diff"));

        // Assert
        Assert.Equal("/etc/shadow", ex.Path);
        Assert.Equal("bug_inject.diff names '/etc/shadow', which Sparring refuses to use: it is absolute; paths are relative to the repository root.", ex.Message);
    }
}
