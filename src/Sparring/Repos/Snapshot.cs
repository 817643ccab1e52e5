namespace Sparring.Repos;

/// <summary>
/// The tree of one repository at one commit, extracted once into the cache and shared (read-only)
/// by every workspace made from it. A preparation step may add dependencies to it before first use.
/// </summary>
public sealed record Snapshot
{
    /// <summary>The repository it came from.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The full commit id.</summary>
    public required string Commit { get; init; }

    /// <summary>The snapshot's own directory in the cache (holds <see cref="TreePath"/> and preparation state).</summary>
    public required string Directory { get; init; }

    /// <summary>The extracted tree; never written after preparation.</summary>
    public string TreePath => Path.Combine(Directory, "tree");
}
