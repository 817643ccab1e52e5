namespace Sparring.Testing.Internal.Diagnosis;

/// <summary>What <see cref="LogDiagnoser"/> reads: a test run's or a setup command's output and how it ended.</summary>
internal sealed record DiagnosisInput
{
    /// <summary>The runner (<c>pytest</c>, <c>go</c>, …), or <c>setup</c> for a setup command.</summary>
    public required string Runner { get; init; }

    /// <summary>The command that ran, quoted in suggestions (<c>--test-cmd "PYTHONPATH=src …"</c>).</summary>
    public required string Command { get; init; }

    public required string Log { get; init; }

    public required int ExitCode { get; init; }

    public bool TimedOut { get; init; }

    /// <summary>The limit the run had, named when it timed out.</summary>
    public TimeSpan? Timeout { get; init; }

    public bool MemoryLimitHit { get; init; }

    /// <summary>What the parser read.</summary>
    public required TestCounts Counts { get; init; }

    /// <summary>True when the output reached the runner's summary.</summary>
    public bool SawCompletion { get; init; }

    /// <summary>The tree the command ran on, when at hand (a module of the repository's own, package.json).</summary>
    public string? Tree { get; init; }

    /// <summary>True for a setup command (npm ci, dotnet restore), false for a test run.</summary>
    public bool Setup { get; init; }
}
