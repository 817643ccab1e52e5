using Sparring.Repos;
using Sparring.TestUtilities;
using static Sparring.Tests.Repos.RepoTestTrees;

namespace Sparring.Tests.Repos;

public class SnapshotStoreTests
{
    [Fact]
    public async Task GetOrCreateAsync_CalledTwice_ReturnsTheSameTreeExtractedOnce()
    {
        // Arrange
        using var repo = new TempGitRepo();
        var commit = repo.Write("a.txt", "a\n").Write("src/b.py", "b = 2\n").Commit("one");
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);

        // Act
        var first = await store.GetOrCreateAsync(git, commit);
        File.WriteAllText(Path.Combine(first.TreePath, "marker.txt"), "prepared");
        var second = await store.GetOrCreateAsync(git, commit);

        // Assert
        Assert.Equal(first, second);
        Assert.Equal(commit, first.Commit);
        Assert.Equal(repo.Path, first.RepositoryRoot);
        Assert.StartsWith(Path.Combine(cache.Path, "snapshots") + "/", first.Directory, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(first.Directory, "tree"), first.TreePath);
        Assert.Equal("prepared", File.ReadAllText(Path.Combine(second.TreePath, "marker.txt")));
        Assert.Equal(["a.txt", "marker.txt", "src/b.py"], Read(second.TreePath).Keys);
        Assert.Empty(Directory.GetDirectories(first.Directory, "tree.partial-*"));
    }

    [Fact]
    public async Task GetOrCreateAsync_ConcurrentCallsForOneCommit_BothSucceedWithOneTree()
    {
        // Arrange
        using var repo = new TempGitRepo();
        for (var i = 0; i < 200; i++)
        {
            repo.Write($"files/f{i:000}.txt", $"content {i}\n");
        }

        var commit = repo.Commit("many files");
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cache = new TempDirectory();

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new SnapshotStore(cache.Path).GetOrCreateAsync(git, commit))));

        // Assert
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(200, Read(results[0].TreePath).Count);
        Assert.Equal("content 7\n", File.ReadAllText(Path.Combine(results[0].TreePath, "files", "f007.txt")));
        Assert.Equal(["tree"], Directory.GetDirectories(results[0].Directory).Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(results[0].TreePath, "tree", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task GetOrCreateAsync_DifferentCommits_GiveDifferentTreesWithTheirOwnContent()
    {
        // Arrange
        using var repo = new TempGitRepo();
        var first = repo.Write("a.txt", "first\n").Write("old.txt", "old\n").Commit("one");
        var second = repo.Write("a.txt", "second\n").Delete("old.txt").Write("new.txt", "new\n").Commit("two");
        repo.Write("a.txt", "uncommitted\n");
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);

        // Act
        var one = await store.GetOrCreateAsync(git, first);
        var two = await store.GetOrCreateAsync(git, second);

        // Assert
        Assert.NotEqual(one.TreePath, two.TreePath);
        Assert.Equal("first\n", File.ReadAllText(Path.Combine(one.TreePath, "a.txt")));
        Assert.Equal("second\n", File.ReadAllText(Path.Combine(two.TreePath, "a.txt")));
        Assert.Equal(["a.txt", "old.txt"], Read(one.TreePath).Keys);
        Assert.Equal(["a.txt", "new.txt"], Read(two.TreePath).Keys);
        Assert.Equal(Path.GetDirectoryName(one.Directory), Path.GetDirectoryName(two.Directory));
    }

    [Fact]
    public async Task GetOrCreateAsync_SymbolicRevision_IsResolvedToTheFullCommitId()
    {
        // Arrange
        using var repo = new TempGitRepo();
        var first = repo.Write("a.txt", "first\n").Commit("one");
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);
        var atHead = await store.GetOrCreateAsync(git, "HEAD");
        var second = repo.Write("a.txt", "second\n").Commit("two");

        // Act
        var afterMove = await store.GetOrCreateAsync(git, "HEAD");
        var abbreviated = await store.GetOrCreateAsync(git, first[..10]);

        // Assert
        Assert.Equal(first, atHead.Commit);
        Assert.Equal(second, afterMove.Commit);
        Assert.Equal("second\n", File.ReadAllText(Path.Combine(afterMove.TreePath, "a.txt")));
        Assert.Equal(atHead, abbreviated);
        Assert.EndsWith(first, atHead.Directory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrCreateAsync_BadCommit_ThrowsAndLeavesNoPartialTree()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("a.txt", "a\n").Commit("one");
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);

        // Act
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetOrCreateAsync(git, "no-such-branch"));

        // Assert
        Assert.Empty(Directory.GetDirectories(cache.Path, "tree*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task GetOrCreateAsync_LeftoverPartialFromACrash_IsCleanedUp()
    {
        // Arrange
        using var repo = new TempGitRepo();
        var commit = repo.Write("a.txt", "a\n").Commit("one");
        var git = await GitRepository.OpenAsync(repo.Path);
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);
        var probe = await store.GetOrCreateAsync(git, commit);
        Directory.Delete(probe.TreePath, recursive: true);
        var crashed = Path.Combine(probe.Directory, "tree.partial-0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(crashed, "half"));

        // Act
        var snapshot = await store.GetOrCreateAsync(git, commit);

        // Assert
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(snapshot.TreePath, "a.txt")));
        Assert.False(Directory.Exists(crashed));
        Assert.Equal(["tree"], Directory.GetDirectories(snapshot.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task WorkspacesRoot_IsInsideTheCacheRoot()
    {
        // Arrange
        using var cache = new TempDirectory();

        // Act
        var store = new SnapshotStore(cache.Path);

        // Assert
        Assert.Equal(cache.Path, store.CacheRoot);
        Assert.Equal(Path.Combine(cache.Path, "workspaces"), store.WorkspacesRoot);
        await Task.CompletedTask;
    }
}
