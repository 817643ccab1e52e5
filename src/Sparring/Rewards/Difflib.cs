using System.Globalization;
using System.Text;

namespace Sparring.Rewards;

/// <summary>
/// What SWE-RL's reward takes from Python's standard library, ported exactly: <c>SequenceMatcher(None, a, b).ratio()</c>
/// over the characters (code points) of two strings, <c>str.splitlines()</c>, and <c>difflib.unified_diff</c>.
/// </summary>
public static class Difflib
{
    /// <summary><c>difflib.SequenceMatcher(None, a, b, autojunk=autoJunk).ratio()</c>, over code points as Python's strings are.</summary>
    public static double Ratio(string a, string b, bool autoJunk = true)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new SequenceMatcher<int>(CodePoints(a), CodePoints(b), autoJunk).Ratio();
    }

    /// <summary>
    /// The code points of <paramref name="text"/>, as Python indexes a string: a surrogate pair is one element, a lone
    /// surrogate is itself.
    /// </summary>
    public static int[] CodePoints(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var points = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                points.Add(char.ConvertToUtf32(text[i], text[i + 1]));
                i++;
            }
            else
            {
                points.Add(text[i]);
            }
        }

        return [.. points];
    }

    /// <summary>
    /// Python's <c>str.splitlines()</c>: lines without their ends, split at <c>\n</c>, <c>\r\n</c>, <c>\r</c>, <c>\v</c>,
    /// <c>\f</c>, <c>\x1c</c>–<c>\x1e</c>, <c>\x85</c>, U+2028 and U+2029; no empty last line after a final line end.
    /// </summary>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                lines.Add(text[start..i]);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>
    /// <c>difflib.unified_diff(a, b, fromfile, tofile, n=context, lineterm='')</c>: the header lines (only when there is a
    /// difference), then the hunks; lines without ends.
    /// </summary>
    public static IReadOnlyList<string> UnifiedDiff(IReadOnlyList<string> a, IReadOnlyList<string> b, string fromFile = "", string toFile = "", int context = 3)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var output = new List<string>();
        foreach (var group in new SequenceMatcher<string>(a, b, comparer: StringComparer.Ordinal).GetGroupedOpcodes(context))
        {
            if (output.Count == 0)
            {
                output.Add("--- " + fromFile);
                output.Add("+++ " + toFile);
            }

            var (first, last) = (group[0], group[^1]);
            output.Add($"@@ -{Range(first.I1, last.I2)} +{Range(first.J1, last.J2)} @@");
            foreach (var (tag, i1, i2, j1, j2) in group)
            {
                if (tag == "equal")
                {
                    output.AddRange(a.Skip(i1).Take(i2 - i1).Select(line => " " + line));
                    continue;
                }

                if (tag is "replace" or "delete")
                {
                    output.AddRange(a.Skip(i1).Take(i2 - i1).Select(line => "-" + line));
                }

                if (tag is "replace" or "insert")
                {
                    output.AddRange(b.Skip(j1).Take(j2 - j1).Select(line => "+" + line));
                }
            }
        }

        return output;
    }

    /// <summary>Python's <c>_format_range_unified</c>: <c>start+1</c> for one line, else <c>start+1,length</c> (<c>start,0</c> when empty).</summary>
    private static string Range(int start, int stop)
    {
        var beginning = start + 1;
        var length = stop - start;
        if (length == 1)
        {
            return beginning.ToString(CultureInfo.InvariantCulture);
        }

        if (length == 0)
        {
            beginning--;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{beginning},{length}");
    }

    /// <summary>Joins lines with <c>\n</c>, as SWE-RL joins the diff it compares.</summary>
    internal static string JoinLines(IEnumerable<string> lines) => new StringBuilder().AppendJoin('\n', lines).ToString();
}
