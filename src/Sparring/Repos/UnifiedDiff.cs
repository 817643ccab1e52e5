using System.Text;

namespace Sparring.Repos;

/// <summary>A git diff split into files and hunks, so parts of it can be kept and put back together as a valid diff.</summary>
public static class UnifiedDiff
{
    /// <summary>The file sections of <paramref name="diff"/>, one per <c>diff --git</c> line; text before the first is skipped.</summary>
    /// <remarks>
    /// A hunk runs to the next <c>@@</c> or <c>diff --git</c> line, whatever its header's counts say, so the sections'
    /// texts put back together are the diff from its first <c>diff --git</c> on (each line ending in a newline).
    /// A plain unified diff without <c>diff --git</c> lines has no sections.
    /// </remarks>
    public static IReadOnlyList<DiffFileSection> Parse(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var sections = new List<DiffFileSection>();
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

            var hunks = new List<DiffHunk>();
            while (i < lines.Count && lines[i].StartsWith("@@", StringComparison.Ordinal))
            {
                var range = DiffHunkRange.Parse(lines[i]);
                var text = new StringBuilder(lines[i++]);
                while (i < lines.Count && !lines[i].StartsWith("@@", StringComparison.Ordinal) && !lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
                {
                    text.Append(lines[i++]);
                }

                hunks.Add(new DiffHunk(text.ToString(), range?.OldStart ?? 0, range?.OldCount ?? 1));
            }

            sections.Add(new DiffFileSection(path, header.ToString(), hunks));
        }

        return sections;
    }

    /// <summary>Concatenates diffs, each ending in a newline; empty ones are left out.</summary>
    public static string Join(IEnumerable<string> diffs)
    {
        ArgumentNullException.ThrowIfNull(diffs);
        return string.Concat(diffs.Where(d => d.Length > 0).Select(d => d.EndsWith('\n') ? d : d + "\n"));
    }

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
}
