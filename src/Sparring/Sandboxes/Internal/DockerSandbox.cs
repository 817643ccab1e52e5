using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// A container per command over a workspace bound from this machine: like bubblewrap's process per command, each
/// command gets a fresh root (read-only), a private <c>/tmp</c>, its own process namespace, and ends with everything it
/// started, because the container ends with its first process.
/// </summary>
internal sealed class DockerSandbox : ISandbox
{
    /// <summary>Docker's default masked paths, kept: a list given replaces them.</summary>
    private static readonly string[] MaskedPaths =
        ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"];

    /// <summary>/dev (as bubblewrap makes it), Docker's read-only paths and the host interfaces the bubblewrap backend covers (see <see cref="BubblewrapArguments.CoveredProcEntries"/>).</summary>
    private static readonly string[] ReadonlyPaths =
        [.. new[] { "/dev", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger" }.Union(BubblewrapArguments.CoveredProcEntries.Select(e => "/proc/" + e))];

    /// <summary>
    /// Makes the home folder of the base environment, then runs the command as its child and exits with its status (a
    /// missing program is 127, a signal N is 128+N, as in a shell). Not exec: the first process of a container is its
    /// init, which signals without a handler do not reach, so a command that kills itself would seem to succeed.
    /// </summary>
    private static readonly string[] Launcher = ["/bin/sh", "-c", "mkdir -p /tmp/home 2>/dev/null; \"$@\"", "sparring"];

    private readonly string _workspace;
    private readonly SandboxOptions _options;
    private readonly DockerSandboxSettings _settings;
    private readonly DockerEnginePool _engines;
    private readonly TimeProvider _time;

    public DockerSandbox(string workspace, SandboxOptions options, DockerSandboxSettings settings, DockerEnginePool engines, TimeProvider time)
    {
        _workspace = workspace;
        _options = options;
        _settings = settings;
        _engines = engines;
        _time = time;
    }

    public string SandboxWorkspacePath => _options.WorkspaceMountPath.TrimEnd('/');

    public async Task<ExecResult> ExecAsync(ExecRequest request, CancellationToken cancellationToken = default)
    {
        var workingDirectory = SandboxRequests.WorkingDirectory(_workspace, SandboxWorkspacePath, request);
        if (!Directory.Exists(WorkspaceFiles.Resolve(_workspace, request.WorkingDirectory ?? ".")))
        {
            throw new SandboxException($"The sandbox could not start: the working directory '{request.WorkingDirectory}' is not a folder of the workspace.");
        }

        var parameters = Container(workingDirectory, request);
        var tried = new List<DockerEngine>();
        while (true)
        {
            var engine = await _engines.AcquireAsync(tried, cancellationToken).ConfigureAwait(false);
            string? id = null;
            try
            {
                DockerOwnerMarker.Note(engine.Endpoint);

                // Not cancelled halfway: a container made after the caller gave up would be left unnamed here.
                id = (await engine.Client.Containers.CreateContainerAsync(parameters, CancellationToken.None).ConfigureAwait(false)).ID;
                engine.MarkUp();
                cancellationToken.ThrowIfCancellationRequested();
                var result = await RunAsync(engine, id, request, cancellationToken).ConfigureAwait(false);
                var removed = await RemoveAsync(engine, id).ConfigureAwait(false);
                id = null;
                return removed ? result : throw Removed(engine);
            }
            catch (Exception ex) when (id is null && DockerEngine.IsUnreachable(ex))
            {
                // Nothing ran: the command goes to another engine.
                _engines.MarkDown(engine);
                tried.Add(engine);
            }
            catch (DockerContainerNotFoundException) when (id is not null)
            {
                throw Removed(engine);
            }
            catch (DockerImageNotFoundException)
            {
                throw new SandboxException($"The image '{_settings.Image}' is not on the Docker engine {engine.Endpoint}. Build it with: sparring images build --docker-host {engine.Endpoint}");
            }
            catch (DockerApiException ex)
            {
                throw new SandboxException($"The Docker engine {engine.Endpoint} refused the command's container ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}");
            }
            catch (Exception ex) when (DockerEngine.IsUnreachable(ex))
            {
                _engines.MarkDown(engine);
                throw new SandboxException($"The Docker engine {engine.Endpoint} stopped answering during the command: {ex.Message}");
            }
            finally
            {
                if (id is not null)
                {
                    await RemoveAsync(engine, id).ConfigureAwait(false);
                }

                engine.ReleaseSlot();
            }
        }
    }

    private async Task<ExecResult> RunAsync(DockerEngine engine, string id, ExecRequest request, CancellationToken cancellationToken)
    {
        var containers = engine.Client.Containers;
        using var stream = await containers.AttachContainerAsync(
            id, new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, CancellationToken.None).ConfigureAwait(false);
        var limit = request.OutputLimitBytes ?? _options.DefaultOutputLimitBytes;
        var stdout = new CappedOutput(limit);
        var stderr = new CappedOutput(limit);
        var started = _time.GetTimestamp();
        await containers.StartContainerAsync(id, new ContainerStartParameters(), CancellationToken.None).ConfigureAwait(false);
        var reading = DrainAsync(stream, stdout, stderr);
        var feeding = FeedAsync(stream, request.StandardInput);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout ?? _options.DefaultTimeout);
        var timedOut = false;
        long exitCode;
        try
        {
            exitCode = (await containers.WaitContainerAsync(id, timeout.Token).ConfigureAwait(false)).StatusCode;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            await KillAsync(engine, id).ConfigureAwait(false);
            exitCode = (await containers.WaitContainerAsync(id, CancellationToken.None).ConfigureAwait(false)).StatusCode;
        }

        var duration = _time.GetElapsedTime(started);

        // The streams end with the container; a bound keeps a stuck connection from holding the result.
        if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false) != reading)
        {
            stream.Dispose();
        }

        await reading.ConfigureAwait(false);
        await feeding.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var state = (await containers.InspectContainerAsync(id, CancellationToken.None).ConfigureAwait(false)).State;
        return new ExecResult
        {
            ExitCode = timedOut ? 124 : (int)exitCode,
            Stdout = stdout.ToText(),
            Stderr = stderr.ToText(),
            TimedOut = timedOut,
            OutputTruncated = stdout.Truncated || stderr.Truncated,
            MemoryLimitHit = state?.OOMKilled ?? false,
            DiskFull = DiskSpace.IsFull(_workspace),
            Duration = duration,
        };
    }

    private CreateContainerParameters Container(string workingDirectory, ExecRequest request)
    {
        var inside = SandboxWorkspacePath;
        var mounts = new List<Mount> { Bind(_workspace, inside, readOnly: false) };
        mounts.AddRange(_options.Mounts.Where(m => Directory.Exists(m.HostPath) || File.Exists(m.HostPath)).Select(m => Bind(m.HostPath, m.SandboxPath, m.ReadOnly)));
        var tmpSize = _options.TmpSizeBytes is { } size ? string.Create(CultureInfo.InvariantCulture, $",size={size}") : "";
        return new CreateContainerParameters
        {
            Image = _settings.Image,
            Entrypoint = Launcher,
            Cmd = [.. request.Command],
            Env = [.. SandboxRequests.Environment(_options, request).Select(kv => kv.Key + "=" + kv.Value)],
            WorkingDir = workingDirectory,
            Hostname = "sparring",
            User = "0:0",
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            OpenStdin = true,
            StdinOnce = true,
            Labels = new Dictionary<string, string>
            {
                [DockerLabels.Sandbox] = "1",
                [DockerLabels.Owner] = DockerLabels.CurrentOwner,
                [DockerLabels.Run] = _settings.RunLabel ?? "",
            },
            HostConfig = new HostConfig
            {
                NetworkMode = _options.Network ? "bridge" : "none",
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                IpcMode = "private",
                Memory = _options.MemoryLimitBytes ?? 0,
                MemorySwap = _options.MemoryLimitBytes ?? 0,
                PidsLimit = _options.MaxProcesses,
                NanoCPUs = _settings.CpusPerContainer is { } cpus ? (long)(cpus * 1e9) : 0,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,exec,nosuid,nodev,mode=1777" + tmpSize },
                ShmSize = _options.TmpSizeBytes ?? 64L * 1024 * 1024,
                Mounts = mounts,
                MaskedPaths = MaskedPaths,
                ReadonlyPaths = ReadonlyPaths,

                // Output reaches Sparring through the attached streams; a log file would keep every flood on disk.
                LogConfig = new LogConfig { Type = "none" },
            },
        };
    }

    private static Mount Bind(string source, string target, bool readOnly) =>
        new() { Type = "bind", Source = source, Target = target, ReadOnly = readOnly, BindOptions = new BindOptions { Propagation = "rprivate" } };

    private static async Task DrainAsync(MultiplexedStream stream, CappedOutput stdout, CappedOutput stderr)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            MultiplexedStream.ReadResult read;
            try
            {
                read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or HttpRequestException)
            {
                return;
            }

            if (read.EOF)
            {
                return;
            }

            (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Append(buffer.AsSpan(0, read.Count));
        }
    }

    private static async Task FeedAsync(MultiplexedStream stream, byte[]? input)
    {
        try
        {
            if (input is { Length: > 0 })
            {
                await stream.WriteAsync(input, 0, input.Length, CancellationToken.None).ConfigureAwait(false);
            }

            stream.CloseWrite();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or HttpRequestException)
        {
            // The command ended without reading all of its input.
        }
    }

    private static async Task KillAsync(DockerEngine engine, string id)
    {
        try
        {
            await engine.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // It ended on its own in between.
        }
    }

    /// <summary>
    /// Removes the container; false when it was already gone or going (removed by someone else: what the command
    /// seemed to do may be that removal's kill).
    /// </summary>
    private static async Task<bool> RemoveAsync(DockerEngine engine, string id)
    {
        try
        {
            await engine.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            return false;
        }
        catch (Exception ex) when (ex is DockerApiException || DockerEngine.IsUnreachable(ex))
        {
            // Labelled with its owner: the next Sparring process on this machine removes it (DockerSandboxProvider.RemoveAbandonedAsync).
            return true;
        }
    }

    private static SandboxException Removed(DockerEngine engine) =>
        new($"The command's container on {engine.Endpoint} was removed while the command ran (by 'sparring sandboxes prune' or another tool); its result is lost.");

    public Task<SandboxPathKind> GetPathKindAsync(string relativePath, CancellationToken cancellationToken = default) =>
        WorkspaceFiles.GetPathKindAsync(_workspace, relativePath, cancellationToken);

    public Task<byte[]> ReadFileAsync(string relativePath, CancellationToken cancellationToken = default) =>
        WorkspaceFiles.ReadAsync(_workspace, relativePath, cancellationToken);

    public Task WriteFileAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        WorkspaceFiles.WriteAsync(_workspace, relativePath, content, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
