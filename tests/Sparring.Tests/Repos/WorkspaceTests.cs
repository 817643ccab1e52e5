using Sparring.Internal;
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
        // Arrange: 2147483646 is above any pid_max, so no process has it; pid 1 is always alive. Names are
        // ws-PID-START-GUID; older ones, ws-PID-GUID, are still understood. Our own pid with another start time
        // is a previous process that had our pid.
        using var root = new TempDirectory();
        var dead = Directory.CreateDirectory(Path.Combine(root.Path, "ws-2147483646-abc", "tree")).Parent!.FullName;
        var deadNew = Directory.CreateDirectory(Path.Combine(root.Path, "ws-2147483646-12345-abc", "tree")).Parent!.FullName;
        var reusedPid = Directory.CreateDirectory(Path.Combine(root.Path, $"ws-{Environment.ProcessId}-1-abc")).FullName;
        var ours = Directory.CreateDirectory(Path.Combine(root.Path, $"ws-{Environment.ProcessId}-def")).FullName;
        var oursNew = Directory.CreateDirectory(Path.Combine(root.Path, $"ws-{OwnerProcess.Current}-def")).FullName;
        var alive = Directory.CreateDirectory(Path.Combine(root.Path, "ws-1-ghi")).FullName;
        var unrelated = Directory.CreateDirectory(Path.Combine(root.Path, "something-else")).FullName;

        // Act
        var removed = Workspace.RemoveAbandoned(root.Path);

        // Assert
        Assert.Equal(3, removed);
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(deadNew));
        Assert.False(Directory.Exists(reusedPid));
        Assert.True(Directory.Exists(ours));
        Assert.True(Directory.Exists(oursNew));
        Assert.True(Directory.Exists(alive));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public async Task RemoveAbandoned_DeadProcessesMountedWorkspace_IsUnmountedAndDeleted()
    {
        // Arrange: what a killed process leaves: a workspace on its own tmpfs, with files in it.
        using var root = new TempDirectory();
        var dead = Directory.CreateDirectory(Path.Combine(root.Path, "ws-2147483646-12345-abc")).FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "sparring-ws-2147483646-12345", dead);
        Directory.CreateDirectory(Path.Combine(dead, "tree"));
        File.WriteAllText(Path.Combine(dead, "tree", "file.txt"), "left behind");

        // Act
        var removed = Workspace.RemoveAbandoned(root.Path);

        // Assert
        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(dead));
        Assert.DoesNotContain(dead, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AsRoot_IsItsOwnTmpfsOfTheDefaultQuotaRemovedOnDispose()
    {
        // Arrange
        using var dirs = new TempDirectory();
        dirs.Write("source/a.txt", "alpha\n");
        var workspaces = Path.Combine(dirs.Path, "workspaces");

        // Act
        var workspace = await Workspace.CreateAsync(Path.Combine(dirs.Path, "source"), workspaces);
        var mount = MountOf(workspace.Root);
        var state = workspace.StateDirectory("results");
        await workspace.DisposeAsync();

        // Assert
        Assert.Null(Workspace.DiskQuotaWarning);
        Assert.Equal(WorkspaceOptions.MinimumDefaultQuotaBytes, workspace.DiskQuotaBytes);
        Assert.NotNull(mount);
        Assert.Contains(" - tmpfs sparring-ws-" + OwnerProcess.Current + " ", mount, StringComparison.Ordinal);
        Assert.Contains("size=1048576k", mount, StringComparison.Ordinal);
        Assert.Contains("nosuid", mount, StringComparison.Ordinal);
        Assert.StartsWith(workspace.Root + "/", state, StringComparison.Ordinal);
        Assert.Null(MountOf(workspace.Root));
        Assert.False(Directory.Exists(workspace.Root));
        Assert.Empty(Directory.GetFileSystemEntries(workspaces));
    }

    [Fact]
    public async Task CreateAsync_OwnFilesystemOff_IsAPlainFolderWithoutQuota()
    {
        // Arrange
        using var dirs = new TempDirectory();
        dirs.Write("source/a.txt", "alpha\n");

        // Act
        await using var workspace = await Workspace.CreateAsync(
            Path.Combine(dirs.Path, "source"), Path.Combine(dirs.Path, "workspaces"), options: new WorkspaceOptions { OwnFilesystem = false });

        // Assert
        Assert.Null(workspace.DiskQuotaBytes);
        Assert.Null(MountOf(workspace.Root));
        Assert.Equal("alpha\n", File.ReadAllText(Path.Combine(workspace.TreePath, "a.txt")));
        Assert.Contains("disk holding the workspace is full", workspace.DiskFullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_QuotaSmallerThanTheTree_ThrowsNamingTheOptionAndLeavesNothing()
    {
        // Arrange
        using var dirs = new TempDirectory();
        File.WriteAllBytes(dirs.Write("source/big.bin", ""), new byte[3 << 20]);
        var workspaces = Path.Combine(dirs.Path, "workspaces");

        // Act
        var error = await Record.ExceptionAsync(() => Workspace.CreateAsync(
            Path.Combine(dirs.Path, "source"), workspaces, options: new WorkspaceOptions { DiskQuotaBytes = 2L << 20 }));

        // Assert
        var argument = Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Contains("--disk-quota", argument.Message, StringComparison.Ordinal);
        Assert.Contains("2 MiB", argument.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(workspaces) ? Directory.GetFileSystemEntries(workspaces) : []);
    }

    [Theory]
    [InlineData(null, 1L, 1L << 30)]
    [InlineData(null, 300L << 20, 1200L << 20)]
    [InlineData(512L << 20, 300L << 20, 512L << 20)]
    public void QuotaFor_Tree_IsTheExplicitQuotaElseFourTimesTheTreeAtLeastOneGiB(long? explicitQuota, long treeBytes, long expected)
    {
        // Arrange
        var options = new WorkspaceOptions { DiskQuotaBytes = explicitQuota };

        // Act
        var quota = options.QuotaFor(treeBytes);

        // Assert
        Assert.Equal(expected, quota);
        Assert.Same(options, options.Validate());
    }

    [Fact]
    public void Validate_TinyQuota_ThrowsNamingTheOption()
    {
        // Arrange
        var options = new WorkspaceOptions { DiskQuotaBytes = 1000 };

        // Act
        var error = Record.Exception(() => options.Validate());

        // Assert
        var argument = Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Contains(nameof(WorkspaceOptions.DiskQuotaBytes), argument.Message, StringComparison.Ordinal);
        Assert.Contains("--disk-quota", argument.Message, StringComparison.Ordinal);
    }

    /// <summary>The mountinfo line of the mount whose mount point is <paramref name="path"/>, or null.</summary>
    private static string? MountOf(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").FirstOrDefault(l => l.Split(' ')[4] == path);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }
}
