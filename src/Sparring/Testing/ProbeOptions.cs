using Sparring.Repos;

namespace Sparring.Testing;

/// <summary>What <see cref="Prober"/> should run.</summary>
public sealed record ProbeOptions
{
    /// <summary>The commit to probe (a revision git understands). HEAD by default.</summary>
    public string Revision { get; init; } = "HEAD";

    /// <summary>A bash command line replacing the detected test command.</summary>
    public string? TestCommand { get; init; }

    /// <summary>A parser name replacing the detected one, or <c>script:PATH</c>.</summary>
    public string? Parser { get; init; }

    /// <summary>Limit for the test run.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How the run's workspace is made (its disk quota).</summary>
    public WorkspaceOptions Workspaces { get; init; } = new();

    public ProbeOptions Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The timeout must be positive, got {Timeout.TotalSeconds} s.");
        }

        if (TestCommand is not null && string.IsNullOrWhiteSpace(TestCommand))
        {
            throw new ArgumentException("--test-cmd is empty.");
        }

        if (Parser is not null && !Parser.StartsWith("script:", StringComparison.Ordinal) && !TestReportParsers.TryGet(Parser, out _))
        {
            throw new ArgumentException($"Unknown parser '{Parser}'. Known: {string.Join(", ", TestReportParsers.Names)}, or script:PATH for an SSR parser script.");
        }

        if (Parser is not null && Parser.StartsWith("script:", StringComparison.Ordinal) && !File.Exists(Parser["script:".Length..]))
        {
            throw new ArgumentException($"The parser script '{Parser["script:".Length..]}' does not exist.");
        }

        Workspaces.Validate();
        return this;
    }
}
