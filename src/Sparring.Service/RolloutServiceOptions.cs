using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Service;

/// <summary>How the rollout service runs attempts; shared by every request it serves.</summary>
public sealed record RolloutServiceOptions
{
    /// <summary>Where trajectories, patches and each job's <c>result.json</c> are written.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Sparring's cache (snapshots, prepared environments); default the user cache.</summary>
    public string? CacheRoot { get; init; }

    /// <summary>How attempts' workspaces are made (their disk quota).</summary>
    public WorkspaceOptions Workspaces { get; init; } = new();

    /// <summary>Solver tasks set up at once, across all requests.</summary>
    public int PrepareWorkers { get; init; } = 2;

    /// <summary>Episodes at once, across all requests (model calls wait on the server: may exceed the cores).</summary>
    public int SolveWorkers { get; init; } = 8;

    /// <summary>Grading test runs at once, across all requests.</summary>
    public int GradeWorkers { get; init; } = 2;

    /// <summary>Largest group a request may ask for.</summary>
    public int MaxGroupSize { get; init; } = 64;

    /// <summary>Finished jobs kept for <c>GET</c> (the oldest are forgotten first; their <c>result.json</c> stays on disk).</summary>
    public int RetainedJobs { get; init; } = 1000;

    /// <summary>Settings laid over every repository's own (its <c>sparring.toml</c>, or <see cref="ConfigPath"/>'s): the command line's.</summary>
    public EnvironmentSettings Settings { get; init; } = EnvironmentSettings.None;

    /// <summary>A settings file used for every repository instead of each one's <c>sparring.toml</c>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>What each task's baseline (its test script on the original tree) must show before any attempt starts.</summary>
    public BaselineRequirements Baseline { get; init; } = new();

    public RolloutServiceOptions Validate()
    {
        Settings.Validate();
        if (ConfigPath is not null && !File.Exists(ConfigPath))
        {
            throw new FileNotFoundException($"The settings file '{ConfigPath}' does not exist.", ConfigPath);
        }

        if (string.IsNullOrWhiteSpace(WorkDirectory))
        {
            throw new ArgumentException("the service needs a work directory");
        }

        if (PrepareWorkers < 1 || SolveWorkers < 1 || GradeWorkers < 1 || MaxGroupSize < 1 || RetainedJobs < 1)
        {
            throw new ArgumentException("workers, the largest group and retained jobs must be at least 1");
        }

        Workspaces.Validate();
        Baseline.Validate();
        return this;
    }
}
