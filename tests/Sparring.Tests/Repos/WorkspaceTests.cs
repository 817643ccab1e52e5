using Sparring.Repos;
using Sparring.TestUtilities;
using static Sparring.Tests.Repos.RepoTestTrees;

namespace Sparring.Tests.Repos;

public class WorkspaceTests
{
    private const UnixFileMode ReadOnlyDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task CreateAsync_Tree_CopiesBytesModesTimesAndSymlinks()
    {
        // Arrange
        using var dirs = new TempDirectory();
        var source = Path.Combine(dirs.Path, "source");
        dirs.Write("source/a.txt", "alpha\n");
        dirs.Write("source/src/deep/b.py", "b = 1\n");
        var script = dirs.Write("source/run.sh", "#!/bin/sh\n");
        MakeExecutable(script);
        File.WriteAllBytes(Path.Combine(source, "blob.bin"), [0, 1, 2, 255, 0]);
        File.CreateSymbolicLink(Path.Combine(source, "link.txt"), "a.txt");
        File.CreateSymbolicLink(Path.Combine(source, "dirlink"), "src/deep");
        File.CreateSymbolicLink(Path.Combine(source, "dangling"), "does/not/exist");
        Directory.CreateDirectory(Path.Combine(source, "empty"));
        var old = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(1234567);
        File.SetLastWriteTimeUtc(Path.Combine(source, "a.txt"), old);
        File.SetLastWriteTimeUtc(script, old.AddDays(1));
        File.SetUnixFileMode(Path.Combine(source, "blob.bin"), ReadOnlyFile);

        // Act
        await using var workspace = await Workspace.CreateAsync(source, Path.Combine(dirs.Path, "workspaces"));

        // Assert
        Assert.StartsWith(Path.Combine(dirs.Path, "workspaces") + "/", workspace.Root, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(workspace.Root, "tree"), workspace.TreePath);
        AssertSame(source, workspace.TreePath);
        Assert.Equal(old, File.GetLastWriteTimeUtc(Path.Combine(workspace.TreePath, "a.txt")));
        Assert.Equal(old.AddDays(1), File.GetLastWriteTimeUtc(Path.Combine(workspace.TreePath, "run.sh")));
        Assert.Equal(File.GetUnixFileMode(script), File.GetUnixFileMode(Path.Combine(workspace.TreePath, "run.sh")));
        Assert.Equal(ReadOnlyFile, File.GetUnixFileMode(Path.Combine(workspace.TreePath, "blob.bin")));
        Assert.Equal("src/deep", new FileInfo(Path.Combine(workspace.TreePath, "dirlink")).LinkTarget);
        Assert.Equal("does/not/exist", new FileInfo(Path.Combine(workspace.TreePath, "dangling")).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(workspace.TreePath, "empty")));
        Assert.Empty(workspace.SharedDirectories);
    }

    [Fact]
    public async Task CreateAsync_SharedDirectories_AreLeftOutEmptyAndOtherFilesAreCopies()
    {
        // Arrange
        using var dirs = new TempDirectory();
        var source = Path.Combine(dirs.Path, "source");
        var shared = dirs.Write("source/node_modules/pkg/index.js", "module.exports = 1;\n");
        dirs.Write("source/node_modules/pkg/lib/util.js", "util\n");
        dirs.Write("source/vendor/cache/mod.go", "package mod\n");
        var own = dirs.Write("source/app.js", "require('pkg');\n");
        var lookalike = dirs.Write("source/node_modules_extra/x.js", "x\n");

        // Act
        await using var workspace = await Workspace.CreateAsync(source, Path.Combine(dirs.Path, "ws"), ["node_modules", "vendor/cache/"]);
        var copy = Path.Combine(workspace.TreePath, "app.js");
        File.WriteAllText(copy, "changed in the workspace\n");

        // Assert: the shared folders are empty stand-ins (the sandbox mounts the prepared ones there).
        Assert.True(Directory.Exists(Path.Combine(workspace.TreePath, "node_modules")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(workspace.TreePath, "node_modules")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(workspace.TreePath, "vendor/cache")));
        Assert.True(Directory.Exists(Path.Combine(workspace.TreePath, "vendor")));
        Assert.True(File.Exists(shared));
        Assert.NotEqual(Inode(own), Inode(copy));
        Assert.NotEqual(Inode(lookalike), Inode(Path.Combine(workspace.TreePath, "node_modules_extra/x.js")));
        Assert.Equal("x\n", File.ReadAllText(Path.Combine(workspace.TreePath, "node_modules_extra/x.js")));
        Assert.Equal(1, LinkCount(own));
        Assert.Equal("require('pkg');\n", File.ReadAllText(own));
        Assert.Equal(["node_modules", "vendor/cache/"], workspace.SharedDirectories);
    }

    [Fact]
    public async Task CreateAsync_ReadOnlyDirectoriesInSource_AreCopiedAndKeepTheirModes()
    {
        // Arrange
        using var dirs = new TempDirectory();
        var source = Path.Combine(dirs.Path, "source");
        dirs.Write("source/gomod/example.com/m@v1/m.go", "package m\n");
        dirs.Write("source/ro/file.txt", "ro\n");
        var modDir = Path.Combine(source, "gomod", "example.com", "m@v1");
        var roDir = Path.Combine(source, "ro");
        File.SetUnixFileMode(Path.Combine(modDir, "m.go"), ReadOnlyFile);
        File.SetUnixFileMode(modDir, ReadOnlyDirectory);
        File.SetUnixFileMode(roDir, ReadOnlyDirectory);
        var sourceDirTime = new DateTime(2010, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Directory.SetLastWriteTimeUtc(Path.Combine(source, "gomod"), sourceDirTime);

        try
        {
            // Act
            await using var workspace = await Workspace.CreateAsync(source, Path.Combine(dirs.Path, "ws"));

            // Assert
            Assert.Equal("package m\n", File.ReadAllText(Path.Combine(workspace.TreePath, "gomod/example.com/m@v1/m.go")));
            Assert.Equal(ReadOnlyFile, File.GetUnixFileMode(Path.Combine(workspace.TreePath, "gomod/example.com/m@v1/m.go")));
            Assert.Equal("ro\n", File.ReadAllText(Path.Combine(workspace.TreePath, "ro/file.txt")));
            Assert.Equal(ReadOnlyDirectory, File.GetUnixFileMode(Path.Combine(workspace.TreePath, "gomod/example.com/m@v1")));
            Assert.Equal(ReadOnlyDirectory, File.GetUnixFileMode(Path.Combine(workspace.TreePath, "ro")));
            Assert.NotEqual(Inode(Path.Combine(modDir, "m.go")), Inode(Path.Combine(workspace.TreePath, "gomod/example.com/m@v1/m.go")));
            Assert.Equal(sourceDirTime, Directory.GetLastWriteTimeUtc(Path.Combine(workspace.TreePath, "gomod")));
        }
        finally
        {
            File.SetUnixFileMode(modDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(roDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task DisposeAsync_ReadOnlyFilesAndDirectories_DeletesTheWholeWorkspace()
    {
        // Arrange
        using var dirs = new TempDirectory();
        dirs.Write("source/a.txt", "a\n");
        var workspace = await Workspace.CreateAsync(Path.Combine(dirs.Path, "source"), Path.Combine(dirs.Path, "ws"));
        var modDir = Path.Combine(workspace.TreePath, "pkg", "mod", "example.com", "m@v1");
        Directory.CreateDirectory(modDir);
        File.WriteAllText(Path.Combine(modDir, "m.go"), "package m\n");
        File.SetUnixFileMode(Path.Combine(modDir, "m.go"), ReadOnlyFile);
        foreach (var dir in new[] { modDir, Path.GetDirectoryName(modDir)!, Path.Combine(workspace.TreePath, "pkg") })
        {
            File.SetUnixFileMode(dir, ReadOnlyDirectory);
        }

        var state = workspace.StateDirectory("reports");
        File.WriteAllText(Path.Combine(state, "r.json"), "{}");

        // Act
        await workspace.DisposeAsync();
        await workspace.DisposeAsync();

        // Assert
        Assert.False(Directory.Exists(workspace.Root));
        Assert.True(Directory.Exists(Path.Combine(dirs.Path, "ws")));
        Assert.Equal("a\n", dirs.Read("source/a.txt"));
    }

    [Fact]
    public async Task DisposeAsync_SymlinkToOutsideDirectory_DoesNotTouchTheTarget()
    {
        // Arrange
        using var dirs = new TempDirectory();
        dirs.Write("source/a.txt", "a\n");
        var outside = Path.Combine(dirs.Path, "outside");
        dirs.Write("outside/keep.txt", "keep\n");
        File.SetUnixFileMode(outside, ReadOnlyDirectory);
        var workspace = await Workspace.CreateAsync(Path.Combine(dirs.Path, "source"), Path.Combine(dirs.Path, "ws"));
        File.CreateSymbolicLink(Path.Combine(workspace.TreePath, "out"), outside);
        var readOnly = Path.Combine(workspace.TreePath, "ro");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, ReadOnlyDirectory);

        try
        {
            // Act
            await workspace.DisposeAsync();

            // Assert
            Assert.False(Directory.Exists(workspace.Root));
            Assert.Equal("keep\n", dirs.Read("outside/keep.txt"));
            Assert.Equal(ReadOnlyDirectory, File.GetUnixFileMode(outside));
        }
        finally
        {
            File.SetUnixFileMode(outside, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task StateDirectory_Name_IsCreatedBesideTheTree()
    {
        // Arrange
        using var dirs = new TempDirectory();
        dirs.Write("source/a.txt", "a\n");
        await using var workspace = await Workspace.CreateAsync(Path.Combine(dirs.Path, "source"), Path.Combine(dirs.Path, "ws"));

        // Act
        var state = workspace.StateDirectory("go-cache");
        var again = workspace.StateDirectory("go-cache");

        // Assert
        Assert.Equal(Path.Combine(workspace.Root, "go-cache"), state);
        Assert.Equal(state, again);
        Assert.True(Directory.Exists(state));
        Assert.Equal(workspace.Root, Path.GetDirectoryName(state));
        Assert.Equal(["a.txt"], Read(workspace.TreePath).Keys);
    }

    [Fact]
    public async Task CreateAsync_MissingSource_ThrowsAndLeavesNoWorkspace()
    {
        // Arrange
        using var dirs = new TempDirectory();
        var root = Path.Combine(dirs.Path, "ws");

        // Act
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Workspace.CreateAsync(Path.Combine(dirs.Path, "missing"), root));

        // Assert
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void RemoveAbandoned_WorkspacesOfDeadProcesses_AreDeletedOthersKept()
    {
        // Arrange: 2147483646 is above any pid_max, so no process has it; pid 1 is always alive.
        using var root = new TempDirectory();
        var dead = Directory.CreateDirectory(Path.Combine(root.Path, "ws-2147483646-abc", "tree")).Parent!.FullName;
        var ours = Directory.CreateDirectory(Path.Combine(root.Path, $"ws-{Environment.ProcessId}-def")).FullName;
        var alive = Directory.CreateDirectory(Path.Combine(root.Path, "ws-1-ghi")).FullName;
        var unrelated = Directory.CreateDirectory(Path.Combine(root.Path, "something-else")).FullName;

        // Act
        var removed = Workspace.RemoveAbandoned(root.Path);

        // Assert
        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(ours));
        Assert.True(Directory.Exists(alive));
        Assert.True(Directory.Exists(unrelated));
    }
}
