namespace Sparring.Internal;

/// <summary>How to start one host process.</summary>
internal sealed record ProcessSpec
{
    public required string FileName { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public string? WorkingDirectory { get; init; }

    /// <summary>When set, the child's environment is exactly this; otherwise it inherits ours plus <see cref="ExtraEnvironment"/>.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();
    public byte[]? StandardInput { get; init; }
    public TimeSpan? Timeout { get; init; }
    public int OutputLimitBytes { get; init; } = 4 * 1024 * 1024;
}

/// <summary>What a host process did.</summary>
internal sealed record ProcessOutcome
{
    public required int ExitCode { get; init; }
    public required string Stdout { get; init; }
    public required string Stderr { get; init; }
    public required bool StdoutTruncated { get; init; }
    public required bool StderrTruncated { get; init; }
    public required bool TimedOut { get; init; }
    public required TimeSpan Duration { get; init; }
}
