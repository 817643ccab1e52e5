namespace Sparring.Cli;

/// <summary>The JSON of <c>sparring exec --json</c>.</summary>
internal sealed record ExecReport(int ExitCode, bool TimedOut, bool OutputTruncated, bool MemoryLimitHit, bool DiskFull, double DurationMs, string Stdout, string Stderr);
