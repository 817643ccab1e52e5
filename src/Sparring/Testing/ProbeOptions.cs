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

    public ProbeOptions Validate()
    {
        Settings.Validate();
        Workspaces.Validate();
        return this;
    }
}
