using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Sparring.Injection;

/// <summary>A git diff split into files and hunks, so parts of it can be kept and put back together as a valid diff.</summary>
internal static partial class UnifiedDiff
{
    /// <summary>One file's section: its header (<c>diff --git</c> to the line before the first hunk) and its hunks.</summary>
    public sealed record FileSection(string Path, string Header, IReadOnlyList<Hunk> Hunks)
    {
        public string Text => Header + string.Concat(Hunks.Select(h => h.Text));
    }

    /// <summary>One hunk: its text from <c>@@</c> to the next hunk, and the range it covers in the tree it applies to.</summary>
    public sealed record Hunk(string Text, int OldStart, int OldCount)
    {
        public int OldEnd => OldStart + Math.Max(OldCount, 1) - 1;
    }

    public static IReadOnlyList<FileSection> Parse(string diff)
    {
        var sections = new List<FileSection>();
        var lines = SplitKeepingEnds(diff);
        var i = 0;
        while (i < lines.Count)
        {
            if (!lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
            {
                i++;
                continue;
            }

            var header = new StringBuilder();
            var path = PathOf(lines[i]);
            header.Append(lines[i++]);
            while (i < lines.Count && !lines[i].StartsWith("@@", StringComparison.Ordinal) && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
            {
                header.Append(lines[i++]);
            }

            var hunks = new List<Hunk>();
            while (i < lines.Count && lines[i].StartsWith("@@", StringComparison.Ordinal))
            {
                var match = HunkHeader().Match(lines[i]);
                var text = new StringBuilder(lines[i++]);
                while (i < lines.Count && !lines[i].StartsWith("@@", StringComparison.Ordinal) && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
                {
                    text.Append(lines[i++]);
                }

                var start = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
                var count = match.Success && match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 1;
                hunks.Add(new Hunk(text.ToString(), start, count));
            }

            sections.Add(new FileSection(path, header.ToString(), hunks));
        }

        return sections;
    }

    /// <summary>Concatenates diffs, each ending in a newline.</summary>
    public static string Join(IEnumerable<string> diffs) =>
        string.Concat(diffs.Where(d => d.Length > 0).Select(d => d.EndsWith('\n') ? d : d + "\n"));

    private static string PathOf(string diffGitLine)
    {
        // "diff --git a/x b/x": the b side; paths with spaces are rare in the repositories we handle.
        var at = diffGitLine.LastIndexOf(" b/", StringComparison.Ordinal);
        return at < 0 ? diffGitLine : diffGitLine[(at + 3)..].TrimEnd('\n', '\r');
    }

    private static List<string> SplitKeepingEnds(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..] + "\n");
        }

        return lines;
    }

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")]
    private static partial Regex HunkHeader();
}
