using System.Globalization;
using System.Text;

namespace Sparring.Repos;

/// <summary>
/// An artifact or a patch names a path Sparring will not use: outside the repository (absolute, <c>..</c>, through
/// a symbolic link that leaves the tree), into <c>.git</c>, malformed, or — for a listed test file — absent from the
/// repository. Raised before anything is read, written or deleted by that path.
/// </summary>
/// <remarks>The message is one line: control characters in the path are shown escaped.</remarks>
public sealed class UnsafePathException : Exception
{
    public UnsafePathException(string path, string origin, string reason)
        : base($"{origin} names '{Display(path)}', which Sparring refuses to use: {reason}.")
    {
        Path = path;
        Origin = origin;
        Reason = reason;
    }

    /// <summary>The path as the artifact or patch wrote it.</summary>
    public string Path { get; }

    /// <summary>Where it came from, e.g. <c>test_files.txt of artifact 'x'</c> or <c>the solver's patch</c>.</summary>
    public string Origin { get; }

    /// <summary>Why it is refused, e.g. <c>it climbs out of the repository with '..'</c>.</summary>
    public string Reason { get; }

    /// <summary>The path on one line: control characters as <c>\n</c>, <c>\0</c>, <c>\u001b</c>.</summary>
    public static string Display(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
