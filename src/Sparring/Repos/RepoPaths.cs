using Sparring.Internal;

namespace Sparring.Repos;

/// <summary>
/// The check every path an artifact or a patch names goes through before Sparring reads, writes or deletes by it:
/// relative, no <c>..</c>, no backslash, no control character (NUL, newline), nothing inside <c>.git</c>, and —
/// against a tree on disk — no symbolic link on the way (or at the end) that leads out of that tree.
/// </summary>
/// <remarks>
/// A path that does not exist yet passes when its existing part stays inside. Links are followed as the kernel
/// follows them, so a link to <c>.</c> followed by <c>..</c> is caught. Thread-safe; the answer holds while nothing
/// else changes the tree.
/// </remarks>
public static class RepoPaths
{
    /// <summary>Why <paramref name="path"/> is not a plain repository-relative path (its form only), or null when it is one.</summary>
    public static string? ProblemOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TreePaths.FormProblem(path);
    }

    /// <summary>Why <paramref name="path"/> is unsafe in the tree at <paramref name="treeRoot"/> (its form, then its symbolic links), or null when it is safe.</summary>
    public static string? ProblemOf(string treeRoot, string path)
    {
        ArgumentNullException.ThrowIfNull(treeRoot);
        return ProblemOf(path) ?? TreePaths.LinkProblem(treeRoot, path);
    }

    /// <summary>Throws when the form of <paramref name="path"/> is unsafe, whatever tree it is used in.</summary>
    /// <param name="path">The path as written.</param>
    /// <param name="origin">Where it came from, for the message: <c>test_files.txt of artifact 'x'</c>.</param>
    /// <exception cref="UnsafePathException">The path is refused; the message names it, its origin and why.</exception>
    public static void CheckForm(string path, string origin)
    {
        if (ProblemOf(path) is { } reason)
        {
            throw new UnsafePathException(path, origin, reason);
        }
    }

    /// <summary>Checks <paramref name="path"/> against the tree at <paramref name="treeRoot"/> and returns its full host path.</summary>
    /// <param name="treeRoot">The tree the path will be used in.</param>
    /// <param name="path">The path as written, relative to the tree.</param>
    /// <param name="origin">Where it came from, for the message: <c>test_files.txt of artifact 'x'</c>.</param>
    /// <exception cref="UnsafePathException">The path is refused; the message names it, its origin and why.</exception>
    public static string Check(string treeRoot, string path, string origin)
    {
        if (ProblemOf(treeRoot, path) is { } reason)
        {
            throw new UnsafePathException(path, origin, reason);
        }

        return Path.Combine(treeRoot, path);
    }

    /// <summary>Checks every path, in order; the first refused one throws.</summary>
    /// <exception cref="UnsafePathException">A path is refused; the message names it, its origin and why.</exception>
    public static void CheckAll(string treeRoot, IEnumerable<string> paths, string origin)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            Check(treeRoot, path, origin);
        }
    }
}
