namespace Sparring.Sandboxes;

/// <summary>One command to run in a sandbox.</summary>
public sealed record ExecRequest
{
    /// <summary>Program and arguments, not passed through a shell. Use <see cref="Shell"/> for a shell line.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Working directory relative to the workspace; the workspace root when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Wall-clock limit; the whole process tree is killed when it passes. Null uses the sandbox default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Bytes kept per stream (head and tail halves); null uses the sandbox default.</summary>
    public int? OutputLimitBytes { get; init; }

    /// <summary>Bytes written to the command's stdin, which is then closed.</summary>
    public byte[]? StandardInput { get; init; }

    /// <summary>Variables added to the sandbox's sanitized environment for this command.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A request that runs <paramref name="line"/> with <c>bash -c</c>.</summary>
    public static ExecRequest Shell(string line, TimeSpan? timeout = null) =>
        new() { Command = ["/bin/bash", "-c", line], Timeout = timeout };
}
