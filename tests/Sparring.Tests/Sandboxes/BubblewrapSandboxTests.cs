using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Sandboxes.Internal;
using Sparring.TestUtilities;
using RepoWorkspace = Sparring.Repos.Workspace;

namespace Sparring.Tests.Sandboxes;

/// <summary>The conformance suite over bubblewrap, plus what only the bubblewrap backend has.</summary>
public sealed class BubblewrapSandboxTests : SandboxConformanceTests
{
    private readonly BubblewrapSandboxProvider _provider = new();

    protected override Task<ISandbox> CreateSandboxAsync(string workspace, SandboxOptions options) =>
        _provider.CreateAsync(workspace, options);

    [Fact]
    public async Task CheckAvailableAsync_OnThisHost_ReportsNoProblem()
    {
        // Arrange
        var provider = new BubblewrapSandboxProvider();

        // Act
        var problem = await provider.CheckAvailableAsync();

        // Assert
        Assert.Null(problem);
        Assert.Null(provider.LimitsWarning);
        Assert.Equal("bwrap", provider.Name);
    }

    [Fact]
    public async Task CreateAsync_MissingWorkspace_ThrowsDirectoryNotFound()
    {
        // Arrange
        var missing = Path.Combine(Workspace.Path, "does-not-exist");

        // Act
        var error = await Record.ExceptionAsync(() => _provider.CreateAsync(missing, new SandboxOptions()));

        // Assert
        var notFound = Assert.IsType<DirectoryNotFoundException>(error);
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { "zero-timeout", nameof(SandboxOptions.DefaultTimeout) },
        { "negative-timeout", nameof(SandboxOptions.DefaultTimeout) },
        { "tiny-output", nameof(SandboxOptions.DefaultOutputLimitBytes) },
        { "tiny-memory", nameof(SandboxOptions.MemoryLimitBytes) },
        { "few-processes", nameof(SandboxOptions.MaxProcesses) },
        { "relative-mount-path", nameof(SandboxOptions.WorkspaceMountPath) },
        { "system-mount-path", nameof(SandboxOptions.WorkspaceMountPath) },
        { "root-mount-path", nameof(SandboxOptions.WorkspaceMountPath) },
        { "relative-extra-mount", "Mounts[0].HostPath" },
        { "zero-keep-alive-idle", nameof(SandboxOptions.KeepAliveIdle) },
        { "relative-extra-mount-target", "Mounts[1].SandboxPath" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Validate_BadOption_ThrowsNamingTheOption(string bad, string expectedInMessage)
    {
        // Arrange
        var options = bad switch
        {
            "zero-timeout" => new SandboxOptions { DefaultTimeout = TimeSpan.Zero },
            "negative-timeout" => new SandboxOptions { DefaultTimeout = TimeSpan.FromSeconds(-5) },
            "tiny-output" => new SandboxOptions { DefaultOutputLimitBytes = 10 },
            "tiny-memory" => new SandboxOptions { MemoryLimitBytes = 1024 },
            "few-processes" => new SandboxOptions { MaxProcesses = 2 },
            "relative-mount-path" => new SandboxOptions { WorkspaceMountPath = "repo" },
            "system-mount-path" => new SandboxOptions { WorkspaceMountPath = "/usr/" },
            "root-mount-path" => new SandboxOptions { WorkspaceMountPath = "/" },
            "zero-keep-alive-idle" => new SandboxOptions { KeepAlive = true, KeepAliveIdle = TimeSpan.Zero },
            "relative-extra-mount" => new SandboxOptions { Mounts = [new SandboxMount("relative/host", "/opt/x", ReadOnly: true)] },
            "relative-extra-mount-target" => new SandboxOptions { Mounts = [new SandboxMount("/usr", "/opt/x", ReadOnly: true), new SandboxMount("/usr", "opt/y", ReadOnly: true)] },
            _ => throw new ArgumentOutOfRangeException(nameof(bad)),
        };

        // Act
        var validate = Record.Exception(() => options.Validate());
        var create = await Record.ExceptionAsync(() => _provider.CreateAsync(Workspace.Path, options));

        // Assert
        var error = Assert.IsAssignableFrom<ArgumentException>(validate);
        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(create);
    }

    [Fact]
    public void Validate_DefaultsAndNoLimits_AreAccepted()
    {
        // Arrange
        var defaults = new SandboxOptions();
        var unlimited = new SandboxOptions { MemoryLimitBytes = null, MaxProcesses = null, WorkspaceMountPath = "/src/app/" };

        // Act
        var validated = defaults.Validate();
        var error = Record.Exception(() => unlimited.Validate());

        // Assert
        Assert.Same(defaults, validated);
        Assert.Null(error);
        Assert.Equal("/repo", defaults.WorkspaceMountPath);
        Assert.False(defaults.Network);
    }

    [Fact]
    public async Task ExecAsync_NetworkOption_SharesHostNetwork()
    {
        // Arrange
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var sandbox = await _provider.CreateAsync(Workspace.Path, new SandboxOptions { Network = true });
        var accept = listener.AcceptTcpClientAsync();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell($"timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port} && echo CONNECTED'", TimeSpan.FromSeconds(10)));
        using var client = await accept.WaitAsync(TimeSpan.FromSeconds(5));

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("CONNECTED\n", result.Stdout);
        Assert.NotNull(client);
    }

    [Fact]
    public async Task ExecAsync_CommandPrintingLikeBwrap_IsAResultNotAnException()
    {
        // Arrange
        await using var sandbox = await _provider.CreateAsync(Workspace.Path, new SandboxOptions());

        // Act
        var mimic = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell("echo 'bwrap: pretending to fail' >&2; exit 1")));
        var nested = await Record.ExceptionAsync(() => sandbox.ExecAsync(new ExecRequest { Command = ["bwrap", "--ro-bind", "/", "/", "true"] }));

        // Assert
        Assert.Null(mimic);
        Assert.Null(nested);
    }

    [Fact]
    public async Task ExecAsync_ManyCommands_ReuseOneCgroupAndLeaveNoProcessInIt()
    {
        // Arrange: limits no other test uses, so this test owns the pool entry.
        var options = new SandboxOptions { MaxProcesses = 321, MemoryLimitBytes = 123L << 20 };
        await using var sandbox = await _provider.CreateAsync(Workspace.Path, options);
        var before = SparringCgroups();

        // Act
        for (var i = 0; i < 5; i++)
        {
            _ = await sandbox.ExecAsync(ExecRequest.Shell("(sleep 100 &); true"));
        }

        _ = await sandbox.ExecAsync(ExecRequest.Shell("sleep 100", TimeSpan.FromMilliseconds(300)));
        // Only cgroups with this test's own limits: tests running beside it make cgroups of their own meanwhile.
        var added = SparringCgroups().Except(before)
            .Where(d => d.StartsWith("/sys/fs/cgroup/memory/", StringComparison.Ordinal) ? MemoryLimit(d) == options.MemoryLimitBytes : PidsLimit(d) == "321")
            .ToList();

        // Assert: one scope (a memory and a pids cgroup), reused by all six commands, and empty.
        Assert.Equal(2, added.Count);
        Assert.All(added, d => Assert.StartsWith(Environment.ProcessId + "-", Path.GetFileName(d), StringComparison.Ordinal));
        Assert.All(added, d => Assert.Equal("", File.ReadAllText(Path.Combine(d, "cgroup.procs"))));
        var pids = Assert.Single(added, d => d.StartsWith("/sys/fs/cgroup/pids/", StringComparison.Ordinal));
        Assert.Equal("321", File.ReadAllText(Path.Combine(pids, "pids.max")).Trim());
    }

    [Fact]
    public async Task ExecAsync_AfterAMemoryHogInAReusedCgroup_NextCommandIsNotFlagged()
    {
        // Arrange
        var options = new SandboxOptions { MemoryLimitBytes = 64L << 20, MaxProcesses = 77 };
        await using var sandbox = await _provider.CreateAsync(Workspace.Path, options);

        // Act
        var hog = await sandbox.ExecAsync(new ExecRequest { Command = ["/usr/bin/python3", "-c", "x = bytearray(512 * 1024 * 1024)"], Timeout = TimeSpan.FromSeconds(30) });
        var small = await sandbox.ExecAsync(new ExecRequest { Command = ["/usr/bin/python3", "-c", "x = bytearray(1024 * 1024); print('ok')"] });

        // Assert
        Assert.NotEqual(0, hog.ExitCode);
        Assert.True(hog.MemoryLimitHit);
        Assert.Equal(0, small.ExitCode);
        Assert.Equal("ok\n", small.Stdout);
        Assert.False(small.MemoryLimitHit);
    }

    [Fact]
    public async Task ExecAsync_WritesIntoATmpfsWorkspace_ItsCgroupIsNotReusedWithTheCharge()
    {
        // Arrange: limits no other test uses; a workspace on its own tmpfs, whose pages stay charged to the writer's cgroup.
        var options = new SandboxOptions { MaxProcesses = 333, MemoryLimitBytes = 133L << 20 };
        using var source = new TempDirectory("sparring-shmem-source-");
        source.Write("code.txt", "code");
        using var cache = new TempDirectory("sparring-shmem-cache-");
        await using var workspace = await RepoWorkspace.CreateAsync(source.Path, Path.Combine(cache.Path, "workspaces"), options: new WorkspaceOptions { DiskQuotaBytes = 64L << 20 });
        await using var sandbox = await _provider.CreateAsync(workspace.TreePath, options);
        var before = SparringCgroups();

        // Act: the command's cgroup is looked up while it runs (it is gone soon after).
        var writing = sandbox.ExecAsync(ExecRequest.Shell("head -c 20000000 /dev/zero > data.bin; sleep 2"));
        List<string> charged = [];
        var seen = await WaitUntilAsync(() =>
        {
            charged = SparringCgroups().Except(before).Where(d => d.StartsWith("/sys/fs/cgroup/memory/", StringComparison.Ordinal)).ToList();
            return charged.Count > 0 && SharedMemory(charged[0]) > 0;
        });
        var write = await writing;
        var gone = await WaitUntilAsync(() => charged.All(d => !Directory.Exists(d)));
        // The next command's cgroup, looked up while it runs; only cgroups with this test's own memory limit: tests
        // running beside it keep charged cgroups of their own.
        var running = sandbox.ExecAsync(ExecRequest.Shell("sleep 2; echo next"));
        List<string> used = [];
        var found = await WaitUntilAsync(() =>
        {
            used = SparringCgroups().Except(before)
                .Where(d => d.StartsWith("/sys/fs/cgroup/memory/", StringComparison.Ordinal) && MemoryLimit(d) == options.MemoryLimitBytes)
                .ToList();
            return used.Count > 0;
        });
        var usedShared = used.Select(SharedMemory).ToList();
        var next = await running;

        // Assert
        Assert.True(seen, "the command's cgroup was not found charged with the workspace's pages");
        Assert.Equal(0, write.ExitCode);
        var scope = Assert.Single(charged);
        Assert.True(gone, $"the cgroup charged with the workspace's pages ({scope}) was kept");
        Assert.True(found, "the next command's cgroup was not found while it ran");
        Assert.DoesNotContain(scope, used);
        Assert.All(usedShared, shared => Assert.Equal(0, shared));
        Assert.Equal("next\n", next.Stdout);
        Assert.Equal(20000000, new FileInfo(Path.Combine(workspace.TreePath, "data.bin")).Length);
    }

    [Fact]
    public async Task RemoveAbandoned_LeftoversOfDeadOwners_AreRemovedOthersKept()
    {
        // Arrange: 2147483646 is above any pid_max, so no process has it; our own pid with another start time is a
        // previous process that had our pid (as a restarted container's Sparring would).
        var temp = Path.GetTempPath();
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var deadControl = Directory.CreateDirectory(Path.Combine(temp, "sparring-sandbox-2147483646-77")).FullName;
        File.WriteAllText(Path.Combine(deadControl, "1.started"), "started");
        var reusedPidControl = Directory.CreateDirectory(Path.Combine(temp, $"sparring-sandbox-{pid}-1")).FullName;
        var looseMarker = Path.Combine(temp, "sparring-sandbox-2147483646-3-0123456789abcdef.started");
        File.WriteAllText(looseMarker, "started");
        var ownControl = ControlDirectory.Path;
        using var unrelated = new TempDirectory("sparring-sandbox-");
        var cgroupParent = SparringCgroupParents().First(p => p.StartsWith("/sys/fs/cgroup/memory/", StringComparison.Ordinal));
        var deadCgroup = Directory.CreateDirectory(Path.Combine(cgroupParent, "2147483646-77-1")).FullName;
        using var mounts = new TempDirectory("sparring-reap-");
        var deadMount = Directory.CreateDirectory(Path.Combine(mounts.Path, "ws-2147483646-77-abc")).FullName;
        var liveMount = Directory.CreateDirectory(Path.Combine(mounts.Path, "ws-live")).FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "sparring-ws-2147483646-77", deadMount);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "sparring-ws-" + OwnerProcess.Current, liveMount);
        try
        {
            // Act
            var removed = BubblewrapSandboxProvider.RemoveAbandoned();

            // Assert
            Assert.False(Directory.Exists(deadControl));
            Assert.False(Directory.Exists(reusedPidControl));
            Assert.False(File.Exists(looseMarker));
            Assert.True(Directory.Exists(ownControl));
            Assert.True(Directory.Exists(unrelated.Path));
            Assert.False(Directory.Exists(deadCgroup));
            Assert.False(Directory.Exists(deadMount));
            Assert.True(Tmpfs.IsMounted(liveMount));
            Assert.DoesNotContain(deadMount, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
            Assert.True(removed.ControlDirectories >= 3, removed.ToString());
            Assert.True(removed.Cgroups >= 1, removed.ToString());
            Assert.True(removed.WorkspaceMounts >= 1, removed.ToString());
        }
        finally
        {
            Tmpfs.Unmount(liveMount);
            Tmpfs.Unmount(deadMount);
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 60; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    /// <summary>Bytes of shared memory charged to a memory cgroup; 0 once it is gone.</summary>
    private static long? MemoryLimit(string cgroup)
    {
        try
        {
            return long.Parse(File.ReadAllText(Path.Combine(cgroup, "memory.limit_in_bytes")).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? PidsLimit(string cgroup)
    {
        try
        {
            return File.ReadAllText(Path.Combine(cgroup, "pids.max")).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long SharedMemory(string cgroup)
    {
        try
        {
            var line = File.ReadAllLines(Path.Combine(cgroup, "memory.stat")).First(l => l.StartsWith("shmem ", StringComparison.Ordinal));
            return long.Parse(line["shmem ".Length..], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }

    /// <summary>The per-command cgroups under our own memory and pids cgroups (cgroup v1, as here).</summary>
    private static HashSet<string> SparringCgroups() =>
        SparringCgroupParents().Where(Directory.Exists).SelectMany(Directory.GetDirectories).ToHashSet(StringComparer.Ordinal);

    /// <summary>Where the per-command cgroups go: <c>sparring</c> under our own memory and pids cgroups.</summary>
    private static List<string> SparringCgroupParents()
    {
        var parents = new List<string>();
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1] is "memory" or "pids")
            {
                parents.Add($"/sys/fs/cgroup/{parts[1]}{parts[2].TrimEnd('/')}/sparring");
            }
        }

        return parents;
    }
}
