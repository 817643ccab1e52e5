namespace Sparring.Internal;

/// <summary>Quoting for POSIX shells (sh, bash).</summary>
internal static class ShellQuote
{
    /// <summary>The value in single quotes, a quote inside written as <c>'\''</c>: one word, nothing expanded.</summary>
    public static string Always(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The value as it is when every character is plainly safe in a shell word, else <see cref="Always"/>.</summary>
    public static string WhenNeeded(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '=' or ':' or ',') ? value : Always(value);
    }
}
