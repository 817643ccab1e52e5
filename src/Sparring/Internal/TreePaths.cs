namespace Sparring.Internal;

/// <summary>
/// Where a path inside a tree really leads: its form (no way out by how it is spelt) and, on disk, every
/// symbolic link on the way followed the way the kernel follows it. Shared by the sandbox's file access and the
/// checks of the paths artifacts and patches name (<see cref="Repos.RepoPaths"/>).
/// </summary>
/// <remarks>
/// Links are followed component by component from the real root, not resolved as strings: a link to <c>.</c>
/// followed by <c>../x</c> leaves the tree although the text <c>root/link/../x</c> looks inside it.
/// A check is only as good as the moment it is made: callers check a tree that nothing else is changing.
/// </remarks>
internal static class TreePaths
{
    /// <summary>Links followed before a path counts as a loop (the kernel's own limit).</summary>
    private const int MaxLinks = 40;

    /// <summary>Why <paramref name="path"/> is not a plain relative path inside a tree, or null when it is one.</summary>
    public static string? FormProblem(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "the path is empty";
        }

        if (path.Any(char.IsControl))
        {
            return "it contains a control character (NUL, newline, tab, …)";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "it contains a backslash (paths use '/')";
        }

        if (path.StartsWith('/'))
        {
            return "it is absolute; paths are relative to the repository root";
        }

        var segments = path.Split('/');
        if (segments.Contains(".."))
        {
            return "it climbs out of the repository with '..'";
        }

        if (segments.Any(s => s is "" or "."))
        {
            return "it has an empty or '.' segment";
        }

        return segments.Any(s => s.Equals(".git", StringComparison.OrdinalIgnoreCase))
            ? "it points into git metadata (.git)"
            : null;
    }

    /// <summary>
    /// Why <paramref name="relativePath"/>, taken from <paramref name="root"/>, ends outside it once every symbolic
    /// link on the way is followed (a link in the middle, a link at the end, a dangling link); null when it stays inside.
    /// Components that do not exist yet are taken as written.
    /// </summary>
    public static string? LinkProblem(string root, string relativePath)
    {
        var top = Real(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)));
        if (top is null)
        {
            return "the tree's own location loops through symbolic links";
        }

        var real = Real(top + "/" + relativePath);
        if (real is null)
        {
            return "its symbolic links loop";
        }

        return IsInside(top, real) ? null : $"it leads outside the repository through a symbolic link (to {real})";
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both absolute, normalized).</summary>
    public static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>The absolute <paramref name="path"/> with every symbolic link followed; null when the links loop.</summary>
    private static string? Real(string path)
    {
        var pending = new Stack<string>();
        Push(pending, path);
        var current = "/";
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = current == "/" ? "/" + part : current + "/" + part;
            var target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            if (target.StartsWith('/'))
            {
                current = "/";
            }

            Push(pending, target);
        }

        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable: nothing the kernel could follow either.
            return null;
        }
    }

    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
