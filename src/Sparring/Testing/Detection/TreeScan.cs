using Sparring.Repos;

namespace Sparring.Testing.Detection;

/// <summary>Bounded searches of a tree that skip vendored and generated folders.</summary>
internal static class TreeScan
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        ".git", "node_modules", "vendor", ".venv", "venv", "bin", "obj", "dist", "build", "__pycache__", ".tox", "target",
    };

    /// <summary>Tree-relative paths of files whose name matches, breadth first, at most <paramref name="limit"/>.</summary>
    public static List<string> FindFiles(string tree, Func<string, bool> nameMatches, int maxDepth = 6, int limit = 200)
    {
        var found = new List<string>();
        var queue = new Queue<(string Path, int Depth)>();
        queue.Enqueue((tree, 0));
        while (queue.Count > 0 && found.Count < limit)
        {
            var (dir, depth) = queue.Dequeue();
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal).ToList();
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                var name = Path.GetFileName(entry);
                if (Directory.Exists(entry))
                {
                    if (depth < maxDepth && !Skipped.Contains(name) && new DirectoryInfo(entry).LinkTarget is null)
                    {
                        queue.Enqueue((entry, depth + 1));
                    }
                }
                else if (nameMatches(name))
                {
                    found.Add(Path.GetRelativePath(tree, entry));
                }
            }
        }

        return found;
    }

    /// <summary>Whether the tree has that file, reached without leaving the tree (a link out of it does not count).</summary>
    public static bool Exists(string tree, string relative) =>
        RepoPaths.ProblemOf(tree, relative) is null && File.Exists(Path.Combine(tree, relative));

    /// <summary>The file's text, or "" when it is missing or reached only through a link out of the tree.</summary>
    public static string Read(string tree, string relative) =>
        Exists(tree, relative) ? File.ReadAllText(Path.Combine(tree, relative)) : "";

    /// <summary>
    /// <paramref name="path"/> taken from a tree-relative <paramref name="directory"/>, as a normalized tree-relative
    /// path (<c>""</c> for the root); null when it is absolute or climbs out of the tree.
    /// </summary>
    public static string? Join(string directory, string path)
    {
        if (path.StartsWith('/') || path.StartsWith('~'))
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in (directory + "/" + path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>Quotes a string for bash.</summary>
    public static string Quote(string value) => Sparring.Internal.ShellQuote.WhenNeeded(value);
}
