using System.Diagnostics;
using System.Globalization;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// One bubblewrap process per command over a fixed workspace; or, with <see cref="SandboxOptions.KeepAlive"/>, one kept
/// running for all of them (<see cref="CommandServer"/>), made again whenever a command leaves it unfit.
/// </summary>
internal sealed class BubblewrapSandbox : ISandbox
{
    /// <summary>Numbers the commands of all sandboxes of this process (their files share one control folder).</summary>
    private static long _commandNumber;

    /// <summary>The workspace on the host: callers name workspace-relative paths, so it stays in here.</summary>
    private readonly string _workspace;
    private readonly SandboxOptions _options;
    private readonly string _bwrap;
    private readonly bool _useCgroups;
    private readonly TimeProvider _time;

    /// <summary>
    /// A kept sandbox's stdin is staged in the command servers' shared tmpfs; a command given more runs in a sandbox of
    /// its own, which streams it.
    /// </summary>
    private const int KeptAliveInputLimitBytes = 16 << 20;

    private readonly SemaphoreSlim _keptAliveGate = new(1, 1);
    private CommandServer? _server;
    private long _keptAliveCommands;
    private CancellationTokenSource? _idle;
    private bool _disposed;

    public BubblewrapSandbox(string workspacePath, SandboxOptions options, string bwrap, bool useCgroups, TimeProvider time)
    {
        _workspace = workspacePath;
        _options = options;
        _bwrap = bwrap;
        _useCgroups = useCgroups;
        _time = time;
    }

    public string SandboxWorkspacePath => _options.WorkspaceMountPath.TrimEnd('/');

    public async Task<ExecResult> ExecAsync(ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workingDirectory = SandboxRequests.WorkingDirectory(_workspace, SandboxWorkspacePath, request);
        if (_options.KeepAlive && (request.StandardInput?.Length ?? 0) <= KeptAliveInputLimitBytes)
        {
            return await ExecKeptAliveAsync(request, workingDirectory, cancellationToken).ConfigureAwait(false);
        }

        var bwrapOptions = BubblewrapArguments.Build(_workspace, workingDirectory, _options, SandboxRequests.Environment(_options, request));
        var id = Interlocked.Increment(ref _commandNumber);
        var startedFile = ControlDirectory.FileFor(id, "started");
        var optionsFile = ControlDirectory.FileFor(id, "args");
        var cgroup = _useCgroups ? CgroupPool.Rent(_options.MemoryLimitBytes, _options.MaxProcesses) : null;
        try
        {
            // bwrap reads its options from a file (--args), not its command line: pid 1 inside is a copy of bwrap,
            // and a command could read the workspace's host path and the mounts' host paths from /proc/1/cmdline.
            await File.WriteAllBytesAsync(optionsFile, BubblewrapArguments.Serialize(bwrapOptions), cancellationToken).ConfigureAwait(false);
            var spec = new ProcessSpec
            {
                FileName = "/bin/sh",
                Arguments = Wrap(cgroup, startedFile, optionsFile, _bwrap, BubblewrapArguments.Command(request.Command)),

                // bwrap itself gets a minimal environment (readable inside as /proc/1/environ); --clearenv gives the
                // command its own. It starts in / so that no host folder is its working directory either.
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                WorkingDirectory = "/",
                StandardInput = request.StandardInput,
                Timeout = request.Timeout ?? _options.DefaultTimeout,
                OutputLimitBytes = request.OutputLimitBytes ?? _options.DefaultOutputLimitBytes,
            };

            Func<Process, Task> kill = cgroup is null ? KillTreeAsync : _ => { cgroup.KillAll(); return Task.CompletedTask; };
            var outcome = await LauncherThread.RunAsync(() => ProcessRunner.RunAsync(spec, _time, kill, cancellationToken)).ConfigureAwait(false);
            cgroup?.KillAll();
            ThrowIfSandboxFailed(outcome, startedFile);
            return new ExecResult
            {
                ExitCode = outcome.ExitCode,
                Stdout = outcome.Stdout,
                Stderr = outcome.Stderr,
                TimedOut = outcome.TimedOut,
                OutputTruncated = outcome.StdoutTruncated || outcome.StderrTruncated,
                MemoryLimitHit = cgroup?.MemoryLimitHit() ?? false,
                DiskFull = DiskSpace.IsFull(_workspace),
                Duration = outcome.Duration,
            };
        }
        finally
        {
            if (cgroup is not null)
            {
                await CgroupPool.ReturnAsync(cgroup, _options.MemoryLimitBytes, _options.MaxProcesses).ConfigureAwait(false);
            }

            File.Delete(startedFile);
            File.Delete(optionsFile);
        }
    }

    private async Task<ExecResult> ExecKeptAliveAsync(ExecRequest request, string workingDirectory, CancellationToken cancellationToken)
    {
        await _keptAliveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CancelIdleStop();
            _server ??= await CommandServer.StartAsync(_workspace, _options, _bwrap, _useCgroups, cancellationToken).ConfigureAwait(false);
            try
            {
                return await _server.RunAsync(
                    ++_keptAliveCommands, request, workingDirectory, SandboxRequests.Environment(_options, request), _workspace, _time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!_server.Usable)
                {
                    var lost = _server;
                    _server = null;
                    await lost.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    _idle = new CancellationTokenSource();
                    _ = StopWhenIdleAsync(_idle.Token);
                }
            }
        }
        finally
        {
            _keptAliveGate.Release();
        }
    }

    /// <summary>Stops the kept sandbox when no command came for <see cref="SandboxOptions.KeepAliveIdle"/>.</summary>
    private async Task StopWhenIdleAsync(CancellationToken idle)
    {
        try
        {
            await Task.Delay(_options.KeepAliveIdle, _time, idle).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // A command that holds the gate cancels this stop itself; this one must not wait for it.
        if (!await _keptAliveGate.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (!idle.IsCancellationRequested && _server is { } server)
            {
                _server = null;
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The server is gone either way; the next command starts a new one.
        }
        finally
        {
            _keptAliveGate.Release();
        }
    }

    private void CancelIdleStop()
    {
        _idle?.Cancel();
        _idle?.Dispose();
        _idle = null;
    }

    private const int JoinFailedExitCode = 125;

    /// <summary>
    /// <c>sh -c</c> moves itself into the cgroups (when there are any: every descendant then starts inside), opens the
    /// file the in-sandbox launcher reports on as fd 3 and bwrap's options as fd 4 (bwrap closes it once read), drops
    /// the variables a shell adds (<c>PWD</c>), then becomes bwrap.
    /// </summary>
    /// <remarks>
    /// With <paramref name="protocolDescriptors"/> (a command server), our stdin and stdout move to descriptors 8 and 9
    /// and bwrap gets <c>/dev/null</c> instead: bwrap's init is dumpable, so its stdio is reachable by any command
    /// through <c>/proc/1/fd</c>.
    /// </remarks>
    internal static List<string> Wrap(CgroupScope? cgroup, string startedFile, string optionsFile, string bwrap, IReadOnlyList<string> command, bool protocolDescriptors = false)
    {
        var directories = cgroup?.Directories ?? [];
        var join = directories.Count == 0
            ? ""
            : string.Concat(
                string.Concat(directories.Select((d, i) => $"CG{i}='{d}'; ")),
                $"{{ {string.Join(" && ", directories.Select((_, i) => $"echo $$ > \"$CG{i}/cgroup.procs\""))}; }}",
                $" || {{ echo 'sparring-sandbox: cannot join the cgroup' >&2; exit {JoinFailedExitCode}; }}; ");
        var arguments = new List<string>
        {
            "-c", join + "unset PWD OLDPWD; exec 3>\"$1\" 4<\"$2\"; shift 2; " + (protocolDescriptors ? "exec 8<&0 9>&1 0</dev/null 1>/dev/null; " : "") + "exec \"$@\"",
            "sparring-sandbox", startedFile, optionsFile, bwrap, "--args", "4",
        };
        arguments.AddRange(command);
        return arguments;
    }

    /// <summary>
    /// A sandbox that could not start is broken infrastructure, not a command result. The launcher inside
    /// reports once bwrap has set up; after that, whatever the command prints or returns is its own.
    /// </summary>
    private static void ThrowIfSandboxFailed(ProcessOutcome outcome, string startedFile)
    {
        if (outcome.TimedOut)
        {
            return;
        }

        if (!HasStarted(startedFile))
        {
            throw new SandboxException(string.Create(
                CultureInfo.InvariantCulture,
                $"The sandbox could not start (exit code {outcome.ExitCode}): {outcome.Stderr.Trim()}"));
        }
    }

    /// <summary>Whether the launcher inside reported (on fd 3, into <paramref name="startedFile"/>) that bwrap had set up.</summary>
    internal static bool HasStarted(string startedFile) =>
        File.Exists(startedFile)
        && File.ReadAllText(startedFile).StartsWith(BubblewrapArguments.StartedToken, StringComparison.Ordinal);

    private static Task KillTreeAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        return Task.CompletedTask;
    }

    public Task<SandboxPathKind> GetPathKindAsync(string relativePath, CancellationToken cancellationToken = default) =>
        WorkspaceFiles.GetPathKindAsync(_workspace, relativePath, cancellationToken);

    public Task<byte[]> ReadFileAsync(string relativePath, CancellationToken cancellationToken = default) =>
        WorkspaceFiles.ReadAsync(_workspace, relativePath, cancellationToken);

    public Task WriteFileAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        WorkspaceFiles.WriteAsync(_workspace, relativePath, content, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _keptAliveGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            CancelIdleStop();
            if (_server is { } server)
            {
                _server = null;
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _keptAliveGate.Release();
        }
    }
}
