namespace Sparring.Sandboxes;

/// <summary>Limits and mounts of one sandbox. Validated by <see cref="Validate"/> before any process starts.</summary>
public sealed record SandboxOptions
{
    /// <summary>Default per-command wall-clock limit (a request may set its own).</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Default bytes kept per output stream (a request may set its own).</summary>
    public int DefaultOutputLimitBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Memory limit for everything the command starts. Null: no limit.</summary>
    public long? MemoryLimitBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Maximum number of live processes and threads. Null: no limit.</summary>
    public int? MaxProcesses { get; init; } = 1024;

    /// <summary>
    /// Size of each of the sandbox's private tmpfs mounts, <c>/tmp</c> (with <c>HOME</c>) and <c>/dev/shm</c>: a write
    /// past it fails with ENOSPC inside. Null: no size of their own (bwrap's default, half the RAM). Their pages count
    /// against <see cref="MemoryLimitBytes"/> too.
    /// </summary>
    public long? TmpSizeBytes { get; init; } = 1L << 30;

    /// <summary>Share the host network (only for environment preparation, which fetches packages).</summary>
    public bool Network { get; init; }

    /// <summary>
    /// Where the workspace appears inside the sandbox. Fixed (not the host path) so that absolute paths
    /// written by a preparation step (<c>obj/project.assets.json</c>, caches) stay true in every later workspace.
    /// </summary>
    public string WorkspaceMountPath { get; init; } = "/repo";

    /// <summary>
    /// More host paths to show inside (toolchain caches, package folders). A read-only mount inside the
    /// workspace's mount path shadows that part of the writable workspace.
    /// </summary>
    public IReadOnlyList<SandboxMount> Mounts { get; init; } = [];

    /// <summary>Variables of the sanitized environment, on top of the defaults (PATH, HOME, LANG, TMPDIR, CI).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Keep one sandbox running for all the commands instead of starting one per command (bubblewrap; the Docker backend
    /// ignores it and still makes a container per command). For agent episodes, whose many short commands would otherwise spend most of their time
    /// starting sandboxes. Each command still starts as in a fresh sandbox: after it, what it left running is killed,
    /// <c>/tmp</c> and <c>/dev/shm</c> are emptied, and a sandbox that cannot be put back so is replaced. Limits apply
    /// to the whole sandbox rather than to each command. Commands run one at a time.
    /// </summary>
    public bool KeepAlive { get; init; }

    /// <summary>
    /// With <see cref="KeepAlive"/>: how long a kept sandbox waits for its next command before it is stopped (the next
    /// command starts a new one). Short, so an episode holds a sandbox only while its commands come quickly one after
    /// another (an agent working against a fast model); one waiting on a slow model costs a restart per step, a few ms
    /// against its wait, and holds no processes meanwhile (1,000 episodes waiting would otherwise hold 1,000 sandboxes).
    /// </summary>
    public TimeSpan KeepAliveIdle { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the bad option.</summary>
    public SandboxOptions Validate()
    {
        if (DefaultTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(DefaultTimeout)} must be positive, got {DefaultTimeout}.");
        }

        if (KeepAliveIdle <= TimeSpan.Zero || KeepAliveIdle.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException($"{nameof(KeepAliveIdle)} must be positive and below 24 days, got {KeepAliveIdle}.");
        }

        if (DefaultOutputLimitBytes < 1024)
        {
            throw new ArgumentException($"{nameof(DefaultOutputLimitBytes)} must be at least 1024 bytes, got {DefaultOutputLimitBytes}.");
        }

        if (MemoryLimitBytes is < 16 * 1024 * 1024)
        {
            throw new ArgumentException($"{nameof(MemoryLimitBytes)} must be at least 16 MiB, got {MemoryLimitBytes}.");
        }

        if (TmpSizeBytes is < 1024 * 1024)
        {
            throw new ArgumentException($"{nameof(TmpSizeBytes)} must be at least 1 MiB, got {TmpSizeBytes}.");
        }

        if (MaxProcesses is < 8)
        {
            throw new ArgumentException($"{nameof(MaxProcesses)} must be at least 8, got {MaxProcesses}.");
        }

        if (!Path.IsPathFullyQualified(WorkspaceMountPath))
        {
            throw new ArgumentException($"{nameof(WorkspaceMountPath)} must be absolute, got '{WorkspaceMountPath}'.");
        }

        foreach (var (mount, index) in Mounts.Select((m, i) => (m, i)))
        {
            foreach (var (path, name) in new[] { (mount.HostPath, nameof(SandboxMount.HostPath)), (mount.SandboxPath, nameof(SandboxMount.SandboxPath)) })
            {
                if (!Path.IsPathFullyQualified(path))
                {
                    throw new ArgumentException($"{nameof(Mounts)}[{index}].{name} must be absolute, got '{path}'.");
                }
            }
        }

        string[] reserved = ["/usr", "/etc", "/proc", "/dev", "/tmp", "/bin", "/lib", "/lib64", "/sbin", "/"];
        if (reserved.Contains(WorkspaceMountPath.TrimEnd('/')) || WorkspaceMountPath.TrimEnd('/').Length == 0)
        {
            throw new ArgumentException($"{nameof(WorkspaceMountPath)} '{WorkspaceMountPath}' would hide a system directory.");
        }

        return this;
    }
}
