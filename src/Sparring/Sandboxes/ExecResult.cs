namespace Sparring.Sandboxes;

/// <summary>What one sandboxed command did.</summary>
public sealed record ExecResult
{
    /// <summary>The exit code; 124 when the command timed out, 128+N when a signal N ended it.</summary>
    public required int ExitCode { get; init; }
    public required string Stdout { get; init; }
    public required string Stderr { get; init; }
    public required bool TimedOut { get; init; }

    /// <summary>True when stdout or stderr exceeded the output cap and its middle was dropped.</summary>
    public required bool OutputTruncated { get; init; }

    /// <summary>True when the memory limit was reached during the command (the kernel may have killed a process).</summary>
    public bool MemoryLimitHit { get; init; }

    /// <summary>
    /// True when the filesystem holding the workspace was full after the command (a workspace's own tmpfs at its
    /// quota, or the host's disk): writes past it failed inside with ENOSPC ("No space left on device").
    /// </summary>
    public bool DiskFull { get; init; }
    public required TimeSpan Duration { get; init; }
}
