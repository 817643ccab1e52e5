using Sparring.Repos;

namespace Sparring.Testing;

/// <summary>What <see cref="Prober"/> should run.</summary>
public sealed record ProbeOptions
{
    /// <summary>The commit to probe (a revision git understands). HEAD by default.</summary>
    public string Revision { get; init; } = "HEAD";

    /// <summary>Settings laid over detection (test command, parser, setup, environment, build properties, timeout).</summary>
    public EnvironmentSettings Settings { get; init; } = EnvironmentSettings.None;

    /// <summary>How the run's workspace is made (its disk quota).</summary>
    public WorkspaceOptions Workspaces { get; init; } = new();

    /// <summary>How many times the suite runs on the same code; from 2, the tests whose status varies are reported flaky (the spec's determinism check ran 50).</summary>
    public int Runs { get; init; } = 1;

    /// <summary>The most <see cref="Runs"/> accepted.</summary>
    public const int MaxRuns = 50;

    public ProbeOptions Validate()
    {
        if (Runs is < 1 or > MaxRuns)
        {
            throw new ArgumentException($"--runs must be between 1 and {MaxRuns}, got {Runs}");
        }

        Settings.Validate();
        Workspaces.Validate();
        return this;
    }
}
