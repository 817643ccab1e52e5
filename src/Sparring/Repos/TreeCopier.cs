using Sparring.Repos.Internal;
namespace Sparring.Repos;

/// <summary>Copies a tree like <c>cp -a</c> (modes, times, symlinks), leaving chosen directories out (empty).</summary>
internal static class TreeCopier
{
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Walks <paramref name="source"/>: what copying it to <paramref name="destination"/> makes, leaving <paramref name="excludedDirectories"/> out.</summary>
    public static TreeCopyPlan PlanCopy(string source, string destination, IReadOnlyList<string> excludedDirectories)
    {
        var from = new DirectoryInfo(Path.GetFullPath(source));
        if (!from.Exists)
        {
            throw new DirectoryNotFoundException($"'{source}' does not exist or is not a directory.");
        }

        // "node_modules/" and "node_modules" name the same directory.
        var excluded = excludedDirectories
            .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(from.FullName, d))))
            .ToHashSet(StringComparer.Ordinal);
        var plan = new TreeCopyPlan();
        Walk(from, destination, excluded, plan);
        return plan;
    }

    /// <summary>Makes what <paramref name="plan"/> lists.</summary>
    public static async Task CopyAsync(TreeCopyPlan plan, CancellationToken cancellationToken)
    {
        foreach (var to in plan.Directories.Select(d => d.To).Concat(plan.StandIns))
        {
            Directory.CreateDirectory(to);
        }

        foreach (var (link, target) in plan.Links)
        {
            File.CreateSymbolicLink(link, target);
        }

        // Two cores: a couple of parallel copiers beat one, more only contend.
        await Parallel.ForEachAsync(
            plan.Files,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            (file, _) =>
            {
                File.Copy(file.From, file.To);
                File.SetLastWriteTimeUtc(file.To, File.GetLastWriteTimeUtc(file.From));
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);

        // Directory modes and times last, deepest first: a read-only directory (Go's module cache)
        // must still receive its files, and adding entries would change its time again.
        for (var i = plan.Directories.Count - 1; i >= 0; i--)
        {
            var (dir, to) = plan.Directories[i];
            File.SetUnixFileMode(to, dir.UnixFileMode);
            Directory.SetLastWriteTimeUtc(to, dir.LastWriteTimeUtc);
        }
    }

    private static void Walk(DirectoryInfo from, string to, HashSet<string> excluded, TreeCopyPlan plan)
    {
        plan.Directories.Add((from, to));
        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } linkTarget)
            {
                plan.Links.Add((target, linkTarget));
            }
            else if (entry is DirectoryInfo dir && excluded.Contains(dir.FullName))
            {
                // Left out: an empty folder stands in, over which the sandbox mounts the prepared one read-only.
                plan.StandIns.Add(target);
            }
            else if (entry is DirectoryInfo subdirectory)
            {
                Walk(subdirectory, target, excluded, plan);
            }
            else
            {
                plan.Files.Add((entry.FullName, target));
                plan.Bytes += ((FileInfo)entry).Length;
            }
        }
    }

    /// <summary>Deletes a tree, including read-only files and directories left by tools (Go's module cache).</summary>
    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            MakeWritable(new DirectoryInfo(path));
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Gives the owner full access to every directory of the tree, never following symlinks out of it.</summary>
    private static void MakeWritable(DirectoryInfo directory)
    {
        if ((directory.UnixFileMode & OwnerAll) != OwnerAll)
        {
            directory.UnixFileMode |= OwnerAll;
        }

        foreach (var child in directory.EnumerateDirectories())
        {
            if (child.LinkTarget is null)
            {
                MakeWritable(child);
            }
        }
    }
}
