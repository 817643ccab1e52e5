using System.Net;
using System.Net.Sockets;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

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
        var added = SparringCgroups().Except(before).ToList();

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

    /// <summary>The per-command cgroups under our own memory and pids cgroups (cgroup v1, as here).</summary>
    private static HashSet<string> SparringCgroups()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1] is "memory" or "pids")
            {
                var parent = $"/sys/fs/cgroup/{parts[1]}{parts[2].TrimEnd('/')}/sparring";
                if (Directory.Exists(parent))
                {
                    found.UnionWith(Directory.GetDirectories(parent));
                }
            }
        }

        return found;
    }
}
