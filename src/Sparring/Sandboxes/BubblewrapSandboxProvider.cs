using Sparring.Internal;
using Sparring.Sandboxes.Internal;

namespace Sparring.Sandboxes;

/// <summary>
/// The default backend: Debian's bubblewrap. A process per command; all namespaces unshared (no network,
/// own PID namespace), the system read-only, the workspace bound at its own path, a private /tmp,
/// capabilities dropped, and a cgroup per command for the memory and process limits.
/// </summary>
/// <remarks>Without root (no writable cgroups) commands still run isolated, but memory and process limits are not enforced.</remarks>
public sealed class BubblewrapSandboxProvider : ISandboxProvider
{
    private static readonly Lazy<AbandonedResources> Reaped = new(RemoveAbandoned);
    private readonly TimeProvider _time;
    private readonly Lazy<bool> _cgroupsWork = new(() => CgroupScope.Probe() is null);

    /// <summary>The first provider of a process removes what killed Sparring processes left behind (<see cref="RemoveAbandoned"/>).</summary>
    public BubblewrapSandboxProvider(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _ = Reaped.Value;
    }

    public string Name => "bwrap";

    /// <summary>Where bwrap is looked for.</summary>
    public static string BwrapPath => File.Exists("/usr/bin/bwrap") ? "/usr/bin/bwrap" : "bwrap";

    public async Task<string?> CheckAvailableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var outcome = await ProcessRunner.RunAsync(
                new ProcessSpec { FileName = BwrapPath, Arguments = ["--unshare-all", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/lib", "/lib", "/usr/bin/true"], Timeout = TimeSpan.FromSeconds(20) },
                _time, null, cancellationToken).ConfigureAwait(false);
            return outcome.ExitCode == 0
                ? null
                : $"bubblewrap is installed but cannot create a sandbox here: {outcome.Stderr.Trim()}";
        }
        catch (ProcessStartException)
        {
            return "bubblewrap (bwrap) is not installed. Install it with: apt-get install -y bubblewrap";
        }
    }

    /// <summary>A note to show the user when limits cannot be enforced, or null.</summary>
    public string? LimitsWarning => _cgroupsWork.Value ? null : CgroupScope.Probe();

    /// <summary>
    /// Removes what Sparring processes that were killed (kill -9, a crash, power loss) left behind: their sandbox
    /// control folders in the temp folder, their per-command cgroups and their workspaces' tmpfs mounts (with the
    /// emptied mount points). Each is named after its owner's pid and start time, and only those of dead owners are
    /// touched. Runs once per process, when the first provider is made; safe to call again.
    /// </summary>
    public static AbandonedResources RemoveAbandoned()
    {
        // Mounts first: a control folder can hold one (the command servers' tmpfs), which would keep it from going.
        var mounts = Tmpfs.RemoveAbandoned().Count;
        return new(ControlDirectories: ControlDirectory.RemoveAbandoned(), Cgroups: CgroupScope.RemoveAbandoned(), WorkspaceMounts: mounts);
    }

    public Task<ISandbox> CreateAsync(string workspacePath, SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var full = SandboxRequests.ExistingWorkspace(workspacePath, options);
        return Task.FromResult<ISandbox>(new BubblewrapSandbox(full, options, BwrapPath, _cgroupsWork.Value, _time));
    }
}
