using System.Globalization;
using System.Text;

namespace Sparring.Agents.Tools.Internal;

/// <summary>Line arithmetic shared by the editors and the viewer: splitting, numbering (<c>cat -n</c> style), locating matches.</summary>
internal static class TextLines
{
    /// <summary>The lines of <paramref name="text"/> without terminators; a final newline does not start another line.</summary>
    public static string[] Split(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var body = text.EndsWith('\n') ? text[..^1] : text;
        return body.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToArray();
    }

    /// <summary>Lines <paramref name="first"/> to <paramref name="last"/> (1-based, inclusive) as <c>cat -n</c> prints them.</summary>
    public static string Numbered(IReadOnlyList<string> lines, int first, int last)
    {
        var builder = new StringBuilder();
        for (var number = Math.Max(1, first); number <= Math.Min(lines.Count, last); number++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{number,6}\t{lines[number - 1]}\n");
        }

        return builder.ToString();
    }

    /// <summary>Lines <paramref name="first"/>..<paramref name="last"/> of <paramref name="text"/> with <paramref name="context"/> lines around, numbered.</summary>
    public static string Snippet(string text, int first, int last, int context = 4)
    {
        var lines = Split(text);
        return Numbered(lines, first - context, last + context);
    }

    /// <summary>The 1-based line on which the character at <paramref name="index"/> lies.</summary>
    public static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    /// <summary>Start indexes of the non-overlapping occurrences of <paramref name="needle"/>, left to right.</summary>
    public static List<int> Occurrences(string text, string needle)
    {
        var found = new List<int>();
        if (needle.Length == 0)
        {
            return found;
        }

        for (var index = text.IndexOf(needle, StringComparison.Ordinal); index >= 0; index = text.IndexOf(needle, index + needle.Length, StringComparison.Ordinal))
        {
            found.Add(index);
        }

        return found;
    }

    /// <summary>Number of lines <paramref name="text"/> spans when inserted (at least one).</summary>
    public static int LineSpan(string text) => Math.Max(1, Split(text).Length);

    /// <summary>The first <c>:LINE:</c> of a linter message (<c>path:LINE:COL: message</c>), or null.</summary>
    public static int? FirstErrorLine(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            var parts = line.Split(':');
            for (var i = 1; i < parts.Length; i++)
            {
                if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0)
                {
                    return number;
                }
            }
        }

        return null;
    }
}
