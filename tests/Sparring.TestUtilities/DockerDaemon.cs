using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet;

namespace Sparring.TestUtilities;

/// <summary>
/// A dockerd of the tests' own beside the machine's engine: its data root, exec root, pid file and socket under one
/// temp folder, a loopback TCP port, its own containerd namespaces and cgroup parent, and no bridge or iptables rules, so
/// it leaves the first engine's containers and network alone. Needs root and <c>dockerd</c> on PATH.
/// </summary>
/// <remarks>
/// It can be killed (<see cref="Kill"/>, a kill -9) and started again over the same folders. Disposing stops it, kills
/// what a killed daemon left running (containerd shims, the containers' processes), removes its cgroups, unmounts what
/// it mounted and deletes the folder. A test host that is itself
/// killed leaves the daemon running: its folder is named <c>sparring-dockerd-*</c> in the temp folder.
/// </remarks>
public sealed class DockerDaemon : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private DockerDaemon(string root, int port)
    {
        _root = root;
        Socket = new Uri("unix://" + Path.Combine(root, "docker.sock"));
        Tcp = new Uri(string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{port}"));
    }

    /// <summary>The daemon's bridge interface (at most 15 characters): one per daemon, made before it starts.</summary>
    private string Bridge => "spbr" + Path.GetFileName(_root)[^8..].Replace('-', '0').Replace('_', '0');

    /// <summary>The daemon's unix socket.</summary>
    public Uri Socket { get; }

    /// <summary>The daemon's loopback TCP address.</summary>
    public Uri Tcp { get; }

    /// <summary>True while the dockerd process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a daemon in a fresh temp folder and waits until it answers a ping.</summary>
    public static async Task<DockerDaemon> StartAsync(CancellationToken cancellationToken = default)
    {
        var daemon = new DockerDaemon(Directory.CreateTempSubdirectory("sparring-dockerd-").FullName, FreePort());
        try
        {
            await daemon.RestartAsync(cancellationToken).ConfigureAwait(false);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the daemon again over the same folders and address when it is not running; waits for a ping.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        if (_process is not null)
        {
            // After a kill -9, what the daemon left running would hold its restart for seconds (it stops each container).
            _process.Dispose();
            await KillLeftoversAsync().ConfigureAwait(false);
            _log.Clear();
        }

        var start = new ProcessStartInfo("dockerd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var suffix = Path.GetFileName(_root);

        // Its own bridge, not --bridge=none: a daemon without a default bridge deletes the interface named docker0 at
        // start, which is the first engine's, and every container with network on it then fails to start.
        await RunAsync("ip", "link", "add", Bridge, "type", "bridge").ConfigureAwait(false);
        await RunAsync("ip", "link", "set", Bridge, "up").ConfigureAwait(false);
        foreach (var argument in new[]
        {
            "--data-root", Path.Combine(_root, "data"), "--exec-root", Path.Combine(_root, "exec"), "--pidfile", Path.Combine(_root, "docker.pid"),
            "-H", "unix://" + Path.Combine(_root, "docker.sock"), "-H", Tcp.GetLeftPart(UriPartial.Authority), "--bridge", Bridge, "--iptables=false", "--ip-masq=false",
            "--containerd-namespace", suffix, "--containerd-plugins-namespace", suffix + "-plugins", "--cgroup-parent", suffix,
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("dockerd could not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new DockerClientBuilder().WithEndpoint(Socket).Build();
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"dockerd exited with {_process.ExitCode} while starting:\n{Log}");
            }

            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(TimeSpan.FromSeconds(5));
                await client.System.PingAsync(bounded.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException or DockerApiException
                && !cancellationToken.IsCancellationRequested && stopwatch.Elapsed < StartBound)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The last lines dockerd wrote.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Kills dockerd with SIGKILL (its containerd goes with it) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A throwaway daemon: no graceful stop (seconds per container), everything it left is killed and removed below.
        Kill();
        _process?.Dispose();
        await KillLeftoversAsync().ConfigureAwait(false);
        RemoveCgroups();
        await UnmountAsync().ConfigureAwait(false);
        await RunAsync("ip", "link", "delete", Bridge).ConfigureAwait(false);
        await RunAsync("rm", "-rf", "--one-file-system", _root).ConfigureAwait(false);
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 40 && _log.TryDequeue(out _))
        {
        }
    }

    /// <summary>
    /// Processes whose command line names this daemon's folder (containerd, its shims) or that run in its cgroups (the
    /// containers' processes): after a kill -9 of dockerd they outlive it.
    /// </summary>
    private async Task KillLeftoversAsync()
    {
        var cgroup = "/" + Path.GetFileName(_root) + "/";
        for (var pass = 0; pass < 20; pass++)
        {
            var found = 0;
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    if (File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(_root, StringComparison.Ordinal)
                        || File.ReadAllText(Path.Combine(folder, "cgroup")).Contains(cgroup, StringComparison.Ordinal))
                    {
                        found++;
                        using var leftover = Process.GetProcessById(pid);
                        leftover.Kill();
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone in between.
                }
            }

            if (found == 0)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>The daemon's cgroups (<c>--cgroup-parent</c>) in every hierarchy, deepest first; a killed daemon leaves them.</summary>
    private void RemoveCgroups()
    {
        var name = Path.GetFileName(_root);
        var parents = Directory.Exists("/sys/fs/cgroup") ? Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup") : [];
        foreach (var parent in parents.Select(p => Path.Combine(p, name)).Where(Directory.Exists))
        {
            foreach (var cgroup in Directory.EnumerateDirectories(parent, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(parent))
            {
                try
                {
                    // rmdir: a cgroup's files are the kernel's and go with it.
                    Directory.Delete(cgroup);
                }
                catch (IOException)
                {
                    // Busy still; left to the kernel's notify_on_release or the next boot.
                }
            }
        }
    }

    /// <summary>Unmounts everything mounted under the folder (dockerd bind-mounts its data root; overlays of containers), deepest first.</summary>
    private async Task UnmountAsync()
    {
        for (var pass = 0; pass < 5; pass++)
        {
            var mounts = File.ReadLines("/proc/self/mountinfo")
                .Select(l => l.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
                .Where(m => m.StartsWith(_root + "/", StringComparison.Ordinal))
                .OrderByDescending(m => m.Length)
                .ToList();
            if (mounts.Count == 0)
            {
                return;
            }

            foreach (var mount in mounts)
            {
                await RunAsync("umount", "-l", mount).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"{program} could not start.");
        await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
