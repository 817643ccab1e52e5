namespace Sparring.Agents.Tools;

internal sealed partial class SearchReplaceTool
{
    private const string SearchMarker = "<<<<<<< SEARCH";
    private const string DividerMarker = "=======";
    private const string ReplaceMarker = ">>>>>>> REPLACE";

    /// <summary>Reads <c>### path</c>, <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; SEARCH</c> … <c>=======</c> … <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; REPLACE</c>; a surrounding code fence is tolerated.</summary>
    /// <exception cref="ToolArgumentException">The block is malformed, or there is more than one.</exception>
    internal static (string Path, string Search, string Replace) ParseBlock(string body)
    {
        var lines = body.Split('\n').Select(l => l.EndsWith('\r') ? l[..^1] : l).ToList();
        var at = 0;
        Skip(lines, ref at);
        if (at < lines.Count && lines[at].TrimStart().StartsWith("```", StringComparison.Ordinal))
        {
            at++;
            Skip(lines, ref at);
        }

        if (at >= lines.Count || !lines[at].StartsWith("###", StringComparison.Ordinal) || lines[at][3..].Trim().Length == 0)
        {
            throw Malformed("the block must start with a line `### path/to/file`");
        }

        var path = lines[at][3..].Trim();
        at++;
        if (at >= lines.Count || lines[at].Trim() != SearchMarker)
        {
            throw Malformed($"the line after `### {path}` must be `{SearchMarker}`");
        }

        var search = Section(lines, ref at, DividerMarker);
        var replace = Section(lines, ref at, ReplaceMarker);
        at++;
        for (; at < lines.Count; at++)
        {
            var rest = lines[at].Trim();
            if (rest == SearchMarker || rest.StartsWith("###", StringComparison.Ordinal))
            {
                throw new ToolArgumentException("only one search/replace block per call: send the next block in another call");
            }

            if (rest.Length > 0 && !rest.StartsWith("```", StringComparison.Ordinal))
            {
                throw Malformed($"unexpected text after `{ReplaceMarker}`: '{rest}'");
            }
        }

        return (path, search, replace);
    }

    /// <summary>The lines after the current marker line up to <paramref name="end"/>, each ending with a newline.</summary>
    private static string Section(List<string> lines, ref int at, string end)
    {
        var start = at + 1;
        for (at = start; at < lines.Count; at++)
        {
            var trimmed = lines[at].Trim();
            if (trimmed == end)
            {
                return string.Concat(lines.Skip(start).Take(at - start).Select(l => l + "\n"));
            }

            // REPLACE may contain a `=======` line (an rst heading); SEARCH ends at the first one.
            if (trimmed == SearchMarker || (end == DividerMarker && trimmed == ReplaceMarker))
            {
                break;
            }
        }

        throw Malformed(end == DividerMarker
            ? $"the SEARCH section must be followed by a `{DividerMarker}` line"
            : $"the REPLACE section must end with a `{ReplaceMarker}` line");
    }

    private static void Skip(List<string> lines, ref int at)
    {
        while (at < lines.Count && lines[at].Trim().Length == 0)
        {
            at++;
        }
    }

    private static ToolArgumentException Malformed(string problem) => new(
        $"malformed edit block: {problem}. The form is:\n### path/to/file\n{SearchMarker}\nexact old lines\n{DividerMarker}\nnew lines\n{ReplaceMarker}");
}
