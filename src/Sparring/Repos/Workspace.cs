using System.Collections.Concurrent;
using System.Globalization;
using Sparring.Repos.Internal;

namespace Sparring.Repos;

/// <summary>
/// A throwaway, writable copy of a snapshot's tree, deleted on dispose. Regular files are copied;
/// <c>sharedDirectories</c> (prepared dependencies such as <c>node_modules</c>, often hundreds of thousands of
/// files) are left out as empty folders: the sandbox mounts the prepared ones there read-only, so a
/// workspace costs the same whatever the size of its dependencies.
/// </summary>
public sealed class Workspace : IAsyncDisposable
{
    private Workspace(string root, IReadOnlyList<string> sharedDirectories)
    {
        Root = root;
        SharedDirectories = sharedDirectories;
    }

    /// <summary>The workspace's own directory: <see cref="TreePath"/> plus per-run state beside it.</summary>
    public string Root { get; }

    /// <summary>The writable copy of the tree.</summary>
    public string TreePath => Path.Combine(Root, "tree");

    /// <summary>Tree-relative directories left out of the copy (empty here; mounted read-only in the sandbox).</summary>
    public IReadOnlyList<string> SharedDirectories { get; }

    /// <summary>Copies <paramref name="sourceTree"/> into a new workspace under <paramref name="workspacesRoot"/>.</summary>
    public static async Task<Workspace> CreateAsync(
        string sourceTree,
        string workspacesRoot,
        IReadOnlyList<string>? sharedDirectories = null,
        CancellationToken cancellationToken = default)
    {
        sharedDirectories ??= [];
        Directory.CreateDirectory(workspacesRoot);
        if (CleanedRoots.TryAdd(Path.GetFullPath(workspacesRoot), true))
        {
            RemoveAbandoned(workspacesRoot);
        }

        var root = Path.Combine(workspacesRoot, string.Create(CultureInfo.InvariantCulture, $"ws-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        var workspace = new Workspace(root, sharedDirectories);
        try
        {
            Directory.CreateDirectory(root);
            await TreeCopier.CopyAsync(sourceTree, workspace.TreePath, sharedDirectories, cancellationToken).ConfigureAwait(false);
            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes workspaces left behind by processes that died without disposing them (kill -9, power loss):
    /// each workspace's name carries its creator's process id. Returns how many were removed.
    /// </summary>
    public static int RemoveAbandoned(string workspacesRoot)
    {
        if (!Directory.Exists(workspacesRoot))
        {
            return 0;
        }

        var removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(workspacesRoot, "ws-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length == 3
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && !Directory.Exists($"/proc/{pid}"))
            {
                TreeCopier.DeleteTree(dir);
                removed++;
            }
        }

        return removed;
    }

    private static readonly ConcurrentDictionary<string, bool> CleanedRoots = new(StringComparer.Ordinal);

    /// <summary>Makes (or returns) a per-run directory beside the tree, e.g. for reports or a writable cache copy.</summary>
    public string StateDirectory(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        TreeCopier.DeleteTree(Root);
        return ValueTask.CompletedTask;
    }
}
