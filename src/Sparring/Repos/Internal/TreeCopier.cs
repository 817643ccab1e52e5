namespace Sparring.Repos.Internal;

/// <summary>Copies a tree like <c>cp -a</c> (modes, times, symlinks), hard-linking chosen directories instead.</summary>
internal static class TreeCopier
{
    public static async Task CopyAsync(string source, string destination, IReadOnlyList<string> linkedDirectories, CancellationToken cancellationToken)
    {
        var linked = linkedDirectories.Select(d => Path.GetFullPath(Path.Combine(source, d))).ToHashSet(StringComparer.Ordinal);
        var files = new List<(string From, string To, bool Link)>();
        Walk(new DirectoryInfo(source), destination, linked, false, files);

        // Two cores: a couple of parallel copiers beat one, more only contend.
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            (file, _) =>
            {
                if (file.Link)
                {
                    NativeFiles.HardLink(file.From, file.To);
                }
                else
                {
                    File.Copy(file.From, file.To);
                    File.SetLastWriteTimeUtc(file.To, File.GetLastWriteTimeUtc(file.From));
                }

                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
    }

    private static void Walk(DirectoryInfo from, string to, HashSet<string> linked, bool link, List<(string, string, bool)> files)
    {
        var created = Directory.CreateDirectory(to);
        created.UnixFileMode = from.UnixFileMode;

        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } linkTarget)
            {
                File.CreateSymbolicLink(target, linkTarget);
            }
            else if (entry is DirectoryInfo dir)
            {
                Walk(dir, target, linked, link || linked.Contains(dir.FullName), files);
            }
            else
            {
                files.Add((entry.FullName, target, link));
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
            foreach (var dir in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(path, recursive: true);
        }
    }
}
