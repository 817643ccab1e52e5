using System.Collections.Concurrent;
using System.Globalization;
using Sparring.Internal;

namespace Sparring.Repos;

/// <summary>
/// A throwaway, writable copy of a snapshot's tree, deleted on dispose. Regular files are copied;
/// <c>sharedDirectories</c> (prepared dependencies such as <c>node_modules</c>, often hundreds of thousands of
/// files) are left out as empty folders: the sandbox mounts the prepared ones there read-only, so a
/// workspace costs the same whatever the size of its dependencies.
/// </summary>
/// <remarks>
/// As root, each workspace is its own size-limited tmpfs (<see cref="WorkspaceOptions.DiskQuotaBytes"/>): a command
/// that writes past the quota gets ENOSPC, and the host's disk is never filled. Without root there is no quota
/// (<see cref="DiskQuotaWarning"/>). A workspace's name carries its creator's pid and start time, so the workspaces
/// (and mounts) of a killed process are removed by the next one.
/// </remarks>
public sealed class Workspace : IAsyncDisposable
{
    private Workspace(string root, IReadOnlyList<string> sharedDirectories, long? diskQuotaBytes)
    {
        Root = root;
        SharedDirectories = sharedDirectories;
        DiskQuotaBytes = diskQuotaBytes;
    }

    /// <summary>The workspace's own directory: <see cref="TreePath"/> plus per-run state beside it.</summary>
    public string Root { get; }

    /// <summary>The writable copy of the tree.</summary>
    public string TreePath => Path.Combine(Root, "tree");

    /// <summary>Tree-relative directories left out of the copy (empty here; mounted read-only in the sandbox).</summary>
    public IReadOnlyList<string> SharedDirectories { get; }

    /// <summary>The size of the workspace's own tmpfs (tree and state together), or null when it has none and no quota.</summary>
    public long? DiskQuotaBytes { get; }

    /// <summary>Why workspaces get no disk quota here (not root), or null when they do. Worth showing the user once.</summary>
    public static string? DiskQuotaWarning => Tmpfs.UnavailableReason;

    /// <summary>What to tell the user when a command filled the workspace's filesystem (<c>ExecResult.DiskFull</c>).</summary>
    public string DiskFullMessage => DiskQuotaBytes is { } quota
        ? $"The workspace's disk quota ({WorkspaceOptions.FormatSize(quota)}) was reached: writes failed with \"No space left on device\". Raise it with --disk-quota SIZE (WorkspaceOptions.DiskQuotaBytes)."
        : "The disk holding the workspace is full: writes failed with \"No space left on device\".";

    /// <summary>Copies <paramref name="sourceTree"/> into a new workspace under <paramref name="workspacesRoot"/>.</summary>
    /// <exception cref="ArgumentException">An explicit <see cref="WorkspaceOptions.DiskQuotaBytes"/> is smaller than the tree.</exception>
    public static async Task<Workspace> CreateAsync(
        string sourceTree,
        string workspacesRoot,
        IReadOnlyList<string>? sharedDirectories = null,
        WorkspaceOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        sharedDirectories ??= [];
        options = (options ?? new WorkspaceOptions()).Validate();
        Directory.CreateDirectory(workspacesRoot);
        if (CleanedRoots.TryAdd(Path.GetFullPath(workspacesRoot), true))
        {
            RemoveAbandoned(workspacesRoot);
        }

        var root = Path.Combine(workspacesRoot, string.Create(CultureInfo.InvariantCulture, $"ws-{OwnerProcess.Current}-{Guid.NewGuid():N}"));
        var plan = TreeCopier.PlanCopy(sourceTree, Path.Combine(root, "tree"), sharedDirectories);
        long? quota = null;
        if (options.OwnFilesystem && Tmpfs.Available)
        {
            quota = options.QuotaFor(plan.Bytes + options.AdditionalBytes);
            if (quota < plan.Bytes + options.AdditionalBytes)
            {
                throw new ArgumentException(
                    $"The workspace's disk quota ({WorkspaceOptions.FormatSize(quota.Value)}) is smaller than the tree it must hold "
                    + $"({WorkspaceOptions.FormatSize(plan.Bytes + options.AdditionalBytes)}): raise --disk-quota.");
            }
        }

        var workspace = new Workspace(root, sharedDirectories, quota);
        try
        {
            Directory.CreateDirectory(root);
            if (quota is { } size)
            {
                Tmpfs.Mount(root, size);
            }

            await TreeCopier.CopyAsync(plan, cancellationToken).ConfigureAwait(false);
            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Deletes workspaces left behind by processes that died without disposing them (kill -9, power loss), taking
    /// off their tmpfs first: each workspace's name carries its creator's process id (and start time). Returns how
    /// many were removed.
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
            // ws-PID-START-GUID now, ws-PID-GUID before.
            var parts = Path.GetFileName(dir).Split('-');
            var owner = parts.Length switch { 4 => parts[1..3], 3 => parts[1..2], _ => [] };
            if (OwnerProcess.TryParse(owner, out var pid, out var start) && !OwnerProcess.IsAlive(pid, start))
            {
                Delete(dir);
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
        Delete(Root);
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes the workspace's tmpfs off (when it has one: its files go with it), then deletes what is left.</summary>
    private static void Delete(string root)
    {
        while (Tmpfs.Unmount(root))
        {
        }

        TreeCopier.DeleteTree(root);
    }
}
