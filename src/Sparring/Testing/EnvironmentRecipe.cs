namespace Sparring.Testing;

/// <summary>
/// What a repository needs before its tests can run offline, and how its caches are shared.
/// Setup runs once per repository, commit and recipe, with network; runs reuse the result.
/// </summary>
public sealed record EnvironmentRecipe
{
    /// <summary>Bash command lines run in order in the tree, with network (e.g. <c>npm ci</c>, <c>dotnet restore</c>).</summary>
    public IReadOnlyList<string> SetupCommands { get; init; } = [];

    /// <summary>Setup commands to run once more, changed, when they fail with a known output (npm's <c>ERESOLVE</c>).</summary>
    public IReadOnlyList<SetupRetry> SetupRetries { get; init; } = [];

    /// <summary>Tree-relative directories that setup fills and runs only read (left out of workspaces, mounted read-only from the prepared tree).</summary>
    public IReadOnlyList<string> SharedDirectories { get; init; } = [];

    /// <summary>
    /// Tree-relative directories inside a shared directory that each run gets empty and writable (<c>node_modules/.cache</c>,
    /// where AVA, babel and nyc write: a developer's node_modules is writable). Setup makes them, so the read-only mount has
    /// a place for them.
    /// </summary>
    public IReadOnlyList<string> ScratchDirectories { get; init; } = [];

    /// <summary>Caches mounted outside the tree.</summary>
    public IReadOnlyList<CacheMount> Caches { get; init; } = [];

    /// <summary>Environment for setup and runs.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment for runs only, on top of <see cref="Environment"/> (e.g. <c>GOPROXY=off</c>).</summary>
    public IReadOnlyDictionary<string, string> RunEnvironment { get; init; } = new Dictionary<string, string>();
}

/// <summary>When setup command <paramref name="Command"/> fails and its output contains <paramref name="WhenOutputContains"/>,
/// <paramref name="RetryCommand"/> runs instead, once; the preparation record says why (<paramref name="Reason"/>).</summary>
public sealed record SetupRetry(string Command, string WhenOutputContains, string RetryCommand, string Reason);

/// <summary>A cache directory mounted at <paramref name="SandboxPath"/>.</summary>
/// <param name="Name">Folder name in the cache.</param>
/// <param name="SandboxPath">Where the toolchain finds it inside the sandbox.</param>
/// <param name="Scope">Whether runs share it read-only or each gets its own writable copy.</param>
public sealed record CacheMount(string Name, string SandboxPath, CacheScope Scope);

/// <summary>How runs use a cache without poisoning it for the next run.</summary>
public enum CacheScope
{
    /// <summary>One folder for all repositories; setup writes it, runs see it read-only (NuGet packages, Go modules).</summary>
    SharedReadOnly,

    /// <summary>Filled by setup for this environment; each run gets a private writable copy (Go build cache).</summary>
    CopiedPerRun,

    /// <summary>Used by setup only (npm's download cache).</summary>
    SetupOnly,
}
