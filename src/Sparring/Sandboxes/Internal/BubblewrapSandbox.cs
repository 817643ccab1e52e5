using System.Diagnostics;
using System.Globalization;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>One bubblewrap process per command over a fixed workspace.</summary>
internal sealed class BubblewrapSandbox : ISandbox
{
    private readonly SandboxOptions _options;
    private readonly string _bwrap;
    private readonly bool _useCgroups;
    private readonly TimeProvider _time;
    private int _commandCount;

    public BubblewrapSandbox(string workspacePath, SandboxOptions options, string bwrap, bool useCgroups, TimeProvider time)
    {
        WorkspacePath = workspacePath;
        _options = options;
        _bwrap = bwrap;
        _useCgroups = useCgroups;
        _time = time;
    }

    public string WorkspacePath { get; }

    public string SandboxWorkspacePath => _options.WorkspaceMountPath.TrimEnd('/');

    public async Task<ExecResult> ExecAsync(ExecRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.Count == 0)
        {
            throw new ArgumentException("The command is empty.", nameof(request));
        }

        var relative = Path.GetRelativePath(WorkspacePath, WorkspaceFiles.Resolve(WorkspacePath, request.WorkingDirectory ?? "."));
        var workingDirectory = relative == "." ? SandboxWorkspacePath : SandboxWorkspacePath + "/" + relative;
        var bwrapArguments = BubblewrapArguments.Build(WorkspacePath, workingDirectory, _options, request);
        var name = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Interlocked.Increment(ref _commandCount)}-{Guid.NewGuid():N}");
        var cgroup = _useCgroups ? CgroupScope.TryCreate(name, _options.MemoryLimitBytes, _options.MaxProcesses) : null;
        try
        {
            var spec = cgroup is null
                ? new ProcessSpec { FileName = _bwrap, Arguments = bwrapArguments }
                : new ProcessSpec { FileName = "/bin/sh", Arguments = JoinCgroupThenExec(cgroup, _bwrap, bwrapArguments) };
            spec = spec with
            {
                // bwrap itself gets a minimal environment; --clearenv gives the command its own.
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
                StandardInput = request.StandardInput,
                Timeout = request.Timeout ?? _options.DefaultTimeout,
                OutputLimitBytes = request.OutputLimitBytes ?? _options.DefaultOutputLimitBytes,
            };

            Func<Process, Task> kill = cgroup is null ? KillTreeAsync : _ => { cgroup.KillAll(); return Task.CompletedTask; };
            var outcome = await ProcessRunner.RunAsync(spec, _time, kill, cancellationToken).ConfigureAwait(false);
            cgroup?.KillAll();
            ThrowIfSandboxFailed(outcome, cgroup is not null);
            return new ExecResult
            {
                ExitCode = outcome.ExitCode,
                Stdout = outcome.Stdout,
                Stderr = outcome.Stderr,
                TimedOut = outcome.TimedOut,
                OutputTruncated = outcome.StdoutTruncated || outcome.StderrTruncated,
                MemoryLimitHit = cgroup?.MemoryLimitHit() ?? false,
                Duration = outcome.Duration,
            };
        }
        finally
        {
            if (cgroup is not null)
            {
                await cgroup.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private const int JoinFailedExitCode = 125;

    /// <summary><c>sh -c</c> moves itself into the cgroups, then becomes bwrap: every descendant starts inside.</summary>
    private static List<string> JoinCgroupThenExec(CgroupScope cgroup, string bwrap, IReadOnlyList<string> bwrapArguments)
    {
        var joins = string.Join(" && ", cgroup.Directories.Select((_, i) => $"echo $$ > \"$CG{i}/cgroup.procs\""));
        var script = string.Concat(
            string.Concat(cgroup.Directories.Select((d, i) => $"CG{i}='{d}'; ")),
            $"{{ {joins}; }} || {{ echo 'sparring-sandbox: cannot join the cgroup' >&2; exit {JoinFailedExitCode}; }}; exec \"$@\"");
        var arguments = new List<string> { "-c", script, "sparring-sandbox", bwrap };
        arguments.AddRange(bwrapArguments);
        return arguments;
    }

    /// <summary>A sandbox that could not start is broken infrastructure, not a command result.</summary>
    private static void ThrowIfSandboxFailed(ProcessOutcome outcome, bool joinedCgroup)
    {
        if (outcome.TimedOut)
        {
            return;
        }

        var stderr = outcome.Stderr.TrimStart();
        if ((joinedCgroup && outcome.ExitCode == JoinFailedExitCode && stderr.StartsWith("sparring-sandbox:", StringComparison.Ordinal))
            || (outcome.ExitCode == 1 && stderr.StartsWith("bwrap: ", StringComparison.Ordinal)))
        {
            throw new SandboxException($"The sandbox could not start: {stderr.Trim()}");
        }
    }

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

    public Task<byte[]> ReadFileAsync(string relativePath, CancellationToken cancellationToken = default) =>
        File.ReadAllBytesAsync(WorkspaceFiles.Resolve(WorkspacePath, relativePath), cancellationToken);

    public async Task WriteFileAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = WorkspaceFiles.Resolve(WorkspacePath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
