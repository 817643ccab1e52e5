namespace Sparring.Testing;

/// <summary>How to run a test suite and read its results.</summary>
public sealed record TestCommand
{
    /// <summary>A bash command line, run from the workspace root.</summary>
    public required string Command { get; init; }

    /// <summary>A built-in parser name (<see cref="TestReportParsers.Names"/>) or <c>script:PATH</c> for an SSR parser script.</summary>
    public required string Parser { get; init; }

    /// <summary>Wall-clock limit for one run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
