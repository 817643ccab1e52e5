using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Text;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// One bubblewrap sandbox kept running with <see cref="CommandServerScript"/> inside, and the host's side of its
/// protocol. Made and replaced by <see cref="BubblewrapSandbox"/> when <see cref="SandboxOptions.KeepAlive"/> is set;
/// not thread-safe (one command at a time).
/// </summary>
internal sealed partial class CommandServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long the server may take to kill what a command left and empty <c>/tmp</c>.</summary>
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    private static long _serverNumber;

    /// <summary>A command's files in the server's folder: the request, stdin, and the stdout and stderr FIFOs.</summary>
    private static readonly string[] CommandFiles = [".req", ".in", ".out", ".err"];

    private readonly Process _process;
    private readonly string _folder;
    private readonly CgroupScope? _cgroup;
    private readonly SandboxOptions _options;
    private readonly ReplyReader _replies;
    private readonly CappedOutput _serverErrors = new(8 * 1024);
    private readonly Task _serverErrorsDrained;

    private CommandServer(Process process, string folder, CgroupScope? cgroup, SandboxOptions options)
    {
        _process = process;
        _folder = folder;
        _cgroup = cgroup;
        _options = options;
        _replies = new ReplyReader(process.StandardOutput.BaseStream);
        _serverErrorsDrained = ProcessRunner.DrainAsync(process.StandardError.BaseStream, _serverErrors, bufferBytes: 1024);
    }

    /// <summary>False once the server is lost or could not put the sandbox back as new: the owner replaces it.</summary>
    public bool Usable { get; private set; } = true;

    /// <summary>Starts bwrap with the server inside and waits for it to be ready.</summary>
    /// <exception cref="SandboxException">The sandbox could not start.</exception>
    public static async Task<CommandServer> StartAsync(string workspace, SandboxOptions options, string bwrap, bool useCgroups, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _serverNumber);
        var folder = CommandServerFolders.Create();
        var cgroup = useCgroups ? CgroupPool.Rent(options.MemoryLimitBytes, options.MaxProcesses) : null;
        var startedFile = ControlDirectory.FileFor(number, "exec-started");
        var optionsFile = ControlDirectory.FileFor(number, "exec-args");
        Process? process = null;
        try
        {
            MakeFifo(Path.Combine(folder, "tick"));
            var sandboxOptions = options with { Mounts = [.. options.Mounts, new SandboxMount(folder, CommandServerScript.ControlPath, ReadOnly: true),
                new SandboxMount(CommandServerFolders.Programs, CommandServerScript.ProgramsPath, ReadOnly: true)] };
            var arguments = BubblewrapArguments.Build(
                workspace, options.WorkspaceMountPath.TrimEnd('/'), sandboxOptions, new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, messageQueues: true);
            await File.WriteAllBytesAsync(optionsFile, BubblewrapArguments.Serialize(arguments), cancellationToken).ConfigureAwait(false);
            var command = BubblewrapArguments.Command([CommandServerScript.ProgramsPath + "/bash", "-c", CommandServerScript.Text, "sparring-exec", CommandServerScript.ControlPath]);
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            foreach (var argument in BubblewrapSandbox.Wrap(cgroup, startedFile, optionsFile, bwrap, command, protocolDescriptors: true))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/bin:/bin";
            process = await LauncherThread.RunAsync(() => Task.FromResult(Process.Start(start)!)).ConfigureAwait(false);
            var server = new CommandServer(process, folder, cgroup, options);
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ready.CancelAfter(StartTimeout);
            string? line;
            try
            {
                line = await server._replies.ReadLineAsync(ready.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new SandboxException($"The sandbox did not start within {StartTimeout.TotalSeconds} s.");
            }
            catch (IOException ex)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new SandboxException($"The sandbox could not start: {ex.Message}");
            }

            if (line != CommandServerScript.ReadyLine)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                var reason = BubblewrapSandbox.HasStarted(startedFile) ? "its command runner did not start" : server._serverErrors.ToText().Trim();
                throw new SandboxException($"The sandbox could not start: {reason}");
            }

            return server;
        }
        catch when (process is null)
        {
            await ReleaseAsync(folder, cgroup, options).ConfigureAwait(false);
            throw;
        }
        finally
        {
            File.Delete(startedFile);
            File.Delete(optionsFile);
        }
    }

    /// <summary>
    /// Runs one command: <paramref name="environment"/> is all it gets. A command that disturbs the server gets a
    /// result saying so, and the server is no longer <see cref="Usable"/>.
    /// </summary>
    public async Task<ExecResult> RunAsync(long id, ExecRequest request, string workingDirectory, IReadOnlyDictionary<string, string> environment, string workspace, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = id.ToString(CultureInfo.InvariantCulture);
        var files = CommandFiles.Select(extension => Path.Combine(_folder, name + extension)).ToArray();
        var stdout = new CappedOutput(request.OutputLimitBytes ?? _options.DefaultOutputLimitBytes);
        var stderr = new CappedOutput(request.OutputLimitBytes ?? _options.DefaultOutputLimitBytes);
        var pipes = new List<PipeStream>();
        var drained = Task.CompletedTask;
        var started = time.GetTimestamp();
        try
        {
            List<string> fields = [workingDirectory, environment.Count.ToString(CultureInfo.InvariantCulture)];
            fields.AddRange(environment.Select(pair => pair.Key + "=" + pair.Value));
            fields.AddRange(request.Command);
            await File.WriteAllBytesAsync(files[0], BubblewrapArguments.Serialize(fields), cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(files[1], request.StandardInput ?? [], cancellationToken).ConfigureAwait(false);

            // Opened before the server opens them for writing (which waits for a reader), without waiting for a writer;
            // read only once the server has said the command started, so that their end is the end of its writers.
            pipes.Add(OpenFifo(files[2]));
            pipes.Add(OpenFifo(files[3]));
            _cgroup?.ResetMemoryEvents();

            var (exitCode, timedOut, lost) = (default(int?), false, default(string));
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(request.Timeout ?? _options.DefaultTimeout);
            try
            {
                await _process.StandardInput.BaseStream.WriteAsync(Encoding.ASCII.GetBytes($"run {name}\n"), deadline.Token).ConfigureAwait(false);
                await _process.StandardInput.BaseStream.FlushAsync(deadline.Token).ConfigureAwait(false);
                var line = await _replies.ReadLineAsync(deadline.Token).ConfigureAwait(false);
                if (line == "started " + name)
                {
                    drained = Task.WhenAll(ProcessRunner.DrainAsync(pipes[0], stdout), ProcessRunner.DrainAsync(pipes[1], stderr));
                    line = await _replies.ReadLineAsync(deadline.Token).ConfigureAwait(false);
                    exitCode = line?.Split(' ') is ["exited", var exitedId, var code] && exitedId == name
                        && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
                }

                lost = exitCode is null ? line ?? "the end of its answers" : null;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
            }
            catch (IOException ex)
            {
                lost = ex.Message;
            }

            if (exitCode is not null)
            {
                // The command ended in time; putting the sandbox back has its own bound, not the command's.
                await AwaitCleanupAsync(name, drained, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await KillAsync().ConfigureAwait(false);
            }

            await drained.ConfigureAwait(false);
            if (lost is not null)
            {
                stderr.Append("\n[sparring: the command ended or disturbed the sandbox's command runner; the sandbox was restarted]\n"u8);
            }

            return new ExecResult
            {
                ExitCode = timedOut ? 124 : exitCode ?? 137,
                Stdout = stdout.ToText(),
                Stderr = stderr.ToText(),
                TimedOut = timedOut,
                OutputTruncated = stdout.Truncated || stderr.Truncated,
                MemoryLimitHit = _cgroup?.MemoryLimitHit() ?? false,
                DiskFull = DiskSpace.IsFull(workspace),
                Duration = time.GetElapsedTime(started),
            };
        }
        catch
        {
            // Cancelled, or the request could not be written: nothing of the command may outlive this call.
            await KillAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (!drained.IsCompleted)
            {
                await KillAsync().ConfigureAwait(false);
                await drained.ConfigureAwait(false);
            }

            foreach (var pipe in pipes)
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var file in files)
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// Waits for the server to put the sandbox back (<c>done ID CLEAN</c>) and for the command's output to end (every
    /// writer is gone once the server has killed what the command left); past <see cref="CleanupTimeout"/>, or on any
    /// other answer, the sandbox is killed instead and the server not <see cref="Usable"/>.
    /// </summary>
    private async Task AwaitCleanupAsync(string name, Task drained, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(CleanupTimeout);
        try
        {
            var line = await _replies.ReadLineAsync(bound.Token).ConfigureAwait(false);
            Usable = line?.Split(' ') is ["done", var doneId, "1"] && doneId == name;
            await drained.WaitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Usable = false;
        }

        if (!Usable)
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills everything in the sandbox; the server is then not <see cref="Usable"/>.</summary>
    private async Task KillAsync()
    {
        Usable = false;
        _cgroup?.KillAll();
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                // Its stdin closed, the server's read ends and so does the sandbox.
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await KillAsync().ConfigureAwait(false);
        await _serverErrorsDrained.ConfigureAwait(false);
        _process.Dispose();
        await ReleaseAsync(_folder, _cgroup, _options).ConfigureAwait(false);
    }

    private static async Task ReleaseAsync(string folder, CgroupScope? cgroup, SandboxOptions options)
    {
        if (cgroup is not null)
        {
            await CgroupPool.ReturnAsync(cgroup, options.MemoryLimitBytes, options.MaxProcesses).ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The process's control folder goes when it exits, and a killed process's with the next one's start.
        }
    }
}
