using System.Security.Cryptography;
using System.Text;

namespace Sparring.Repos;

/// <summary>
/// Extracts repository trees at commits into the cache, once each. Extraction goes to a temporary
/// directory renamed into place, so a crash never leaves a half-written snapshot behind.
/// </summary>
/// <remarks>Thread-safe and safe across processes: creation of one snapshot is guarded by a lock file.</remarks>
public sealed class SnapshotStore
{
    public SnapshotStore(string? cacheRoot = null) => CacheRoot = cacheRoot ?? SparringPaths.DefaultCacheRoot();

    public string CacheRoot { get; }

    /// <summary>Where new workspaces are made (beside the snapshots, on the same filesystem).</summary>
    public string WorkspacesRoot => Path.Combine(CacheRoot, "workspaces");

    /// <summary>The snapshot of <paramref name="commit"/> (any revision; resolved to its full id), extracted on first use.</summary>
    /// <exception cref="ArgumentException"><paramref name="commit"/> is not a commit of the repository.</exception>
    public async Task<Snapshot> GetOrCreateAsync(GitRepository repository, string commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);

        // The cache is keyed by the full id: "HEAD" or a branch would otherwise name a stale tree once it moves.
        commit = await repository.ResolveCommitAsync(commit, cancellationToken).ConfigureAwait(false);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repository.Root)))[..12];
        var name = $"{Path.GetFileName(repository.Root)}-{key}";
        var directory = Path.Combine(CacheRoot, "snapshots", name, commit);
        var snapshot = new Snapshot { RepositoryRoot = repository.Root, Commit = commit, Directory = directory };
        if (System.IO.Directory.Exists(snapshot.TreePath))
        {
            return snapshot;
        }

        System.IO.Directory.CreateDirectory(directory);
        await using var guard = await FileLock.AcquireAsync(Path.Combine(directory, ".lock"), cancellationToken).ConfigureAwait(false);
        if (System.IO.Directory.Exists(snapshot.TreePath))
        {
            return snapshot;
        }

        // We hold the lock, so any staging directory left here is from a process that crashed mid-extraction.
        foreach (var leftover in System.IO.Directory.EnumerateDirectories(directory, "tree.partial-*"))
        {
            System.IO.Directory.Delete(leftover, recursive: true);
        }

        var staging = Path.Combine(directory, $"tree.partial-{Guid.NewGuid():N}");
        try
        {
            await repository.ExtractAsync(commit, staging, cancellationToken).ConfigureAwait(false);
            System.IO.Directory.Move(staging, snapshot.TreePath);
        }
        finally
        {
            if (System.IO.Directory.Exists(staging))
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }

        return snapshot;
    }
}
