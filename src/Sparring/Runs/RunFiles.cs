using System.Text.RegularExpressions;
using Sparring.Internal;
using Sparring.Repos;

namespace Sparring.Runs;

/// <summary>
/// Paths and ids a run's store names, checked before use: a store shared by workers (PostgreSQL) is written by other
/// processes, and a path or id from it must not reach outside the run directory.
/// </summary>
internal static partial class RunFiles
{
    /// <summary>The absolute path of <paramref name="relative"/> in the run directory.</summary>
    /// <exception cref="UnsafePathException">It is absolute, climbs out with <c>..</c>, or leaves through a symbolic link.</exception>
    public static string Resolve(string runDirectory, string relative, string origin)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafePathException(relative, origin, "a run's paths are relative to the run directory");
        }

        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!TreePaths.IsInside(root, full))
        {
            throw new UnsafePathException(relative, origin, "it climbs out of the run directory");
        }

        if (TreePaths.LinkProblem(root, Path.GetRelativePath(root, full)) is { } problem)
        {
            throw new UnsafePathException(relative, origin, problem);
        }

        return full;
    }

    /// <summary>A bug id as the runner makes them (<c>r3-removal-1</c>): safe as one folder name.</summary>
    /// <exception cref="UnsafePathException">Anything else.</exception>
    public static string CheckBugId(string id, string origin) =>
        BugId().IsMatch(id) ? id : throw new UnsafePathException(id, origin, "a bug id is r<round>-<name> of letters, digits, '.', '_' and '-'");

    [GeneratedRegex(@"^r[0-9]+-[A-Za-z0-9_-][A-Za-z0-9._-]*$")]
    private static partial Regex BugId();
}
