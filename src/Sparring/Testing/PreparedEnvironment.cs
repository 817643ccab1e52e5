using Sparring.Repos;

namespace Sparring.Testing;

/// <summary>A snapshot with its dependencies installed and caches filled: what every test run of it starts from.</summary>
public sealed record PreparedEnvironment
{
    public required Snapshot Snapshot { get; init; }
    public required TestPlan Plan { get; init; }

    /// <summary>The environment's directory in the cache (its tree and per-environment caches).</summary>
    public required string Directory { get; init; }

    /// <summary>Machine-wide cache root (shared caches live under <c>shared/</c>).</summary>
    public required string CacheRoot { get; init; }

    /// <summary>The prepared tree: the snapshot plus what setup added.</summary>
    public string TreePath => Path.Combine(Directory, "tree");

    /// <summary>True when this call ran setup; false when an earlier preparation was reused.</summary>
    public required bool Reused { get; init; }

    public required IReadOnlyList<PreparationStep> Steps { get; init; }

    /// <summary>How the workspaces of this environment's test runs and agents are made (their disk quota).</summary>
    public WorkspaceOptions Workspaces { get; init; } = new();

    /// <summary>The host directory behind a cache of the recipe.</summary>
    public string CacheHostPath(CacheMount cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return cache.Scope == CacheScope.CopiedPerRun
            ? Path.Combine(Directory, "caches", cache.Name)
            : Path.Combine(CacheRoot, "shared", cache.Name);
    }
}

/// <summary>One setup command and how it went.</summary>
public sealed record PreparationStep
{
    public required string Command { get; init; }
    public required int ExitCode { get; init; }
    public required bool TimedOut { get; init; }

    public required double DurationMs { get; init; }

    /// <summary>The last part of the command's output.</summary>
    public required string OutputTail { get; init; }

    /// <summary>Why the command ran, when it is a retry of the step before it (<see cref="SetupRetry"/>).</summary>
    public string? Note { get; init; }
}
