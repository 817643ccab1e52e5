using System.Net;
using System.Net.Sockets;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Sandboxes;

/// <summary>The conformance suite over Docker (a container per command on the local engine), plus what only Docker has.</summary>
public sealed class DockerSandboxTests : SandboxConformanceTests, IAsyncLifetime
{
    private DockerSandboxProvider? _provider;

    public async Task InitializeAsync() => _provider = new DockerSandboxProvider(await DockerEngines.SettingsAsync());

    public Task DisposeAsync()
    {
        _provider?.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<ISandbox> CreateSandboxAsync(string workspace, SandboxOptions options) =>
        _provider!.CreateAsync(workspace, options);

    private const string Canary = "SPARRING_DOCKER_CANARY";

    [Fact]
    public async Task ExecAsync_HostilePythonProgram_ReachesNothingOfTheHostAndLeavesNothing()
    {
        // Arrange: a hostile Python program tries every way out at once from one process (the conformance tests try each
        // from the shell); a listener on the host, a canary in this process's variables, a marker for a process left behind.
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(Canary, canary);
        var marker = "sparring-left-" + Guid.NewGuid().ToString("N")[..12];
        var outside = Path.Combine("/etc", marker);
        Workspace.Write("hostile.py", $$"""
            import os, socket, subprocess, sys
            def attempt(name, action):
                try:
                    action()
                    print(name, "OPEN")
                except Exception as e:
                    print(name, "closed", type(e).__name__)
            attempt("etc", lambda: open("{{outside}}", "w").write("x"))
            attempt("docker-socket", lambda: socket.socket(socket.AF_UNIX).connect("/var/run/docker.sock"))
            for host in ["172.17.0.1", "10.0.2.2", "{{FirstAddress()}}"]:
                attempt("tcp " + host, lambda: socket.create_connection((host, {{port}}), timeout=2))
            attempt("sysrq", lambda: open("/proc/sysrq-trigger", "w").write("h"))
            attempt("hostname", lambda: __import__("socket").sethostname("pwned"))
            attempt("mount", lambda: subprocess.run(["mount", "-t", "tmpfs", "x", "/mnt"], check=True, capture_output=True))
            print("canary", "{{canary}}" in open("/proc/1/environ").read() or any("{{canary}}" in v for v in os.environ.values()))
            subprocess.Popen(["setsid", "sh", "-c", "exec -a {{marker}} sleep 300"], start_new_session=True)
            print("done")
            """);
        await using var sandbox = await CreateSandboxAsync(Workspace.Path, new SandboxOptions { DefaultTimeout = TimeSpan.FromSeconds(60) });

        try
        {
            // Act
            var result = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "hostile.py"] });
            var connected = listener.Pending();

            // Assert: every way out closed, nothing written, nothing connected, nothing left running.
            Assert.Equal(0, result.ExitCode);
            Assert.EndsWith("done\n", result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(" OPEN", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("canary False", result.Stdout, StringComparison.Ordinal);
            Assert.Equal(10, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.False(File.Exists(outside));
            Assert.False(connected);
            Assert.Empty(await WaitForNoProcessesAsync(marker));
        }
        finally
        {
            Environment.SetEnvironmentVariable(Canary, null);
        }
    }

    /// <summary>This machine's first non-loopback IPv4 address, which a container on a bridge could route to.</summary>
    private static string FirstAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString()
        ?? "127.0.0.1";
}
