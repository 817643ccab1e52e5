namespace Sparring.Repos;

/// <summary>The size of a unified diff: files touched and lines added and removed.</summary>
public sealed record DiffStats
{
    /// <summary>Files: one per <c>diff --git</c> header (a rename, a mode change, a binary file each count once).</summary>
    public required int Files { get; init; }

    /// <summary><c>+</c> lines of hunk bodies (the <c>+++</c> file header excluded).</summary>
    public required int AddedLines { get; init; }

    /// <summary><c>-</c> lines of hunk bodies (the <c>---</c> file header excluded).</summary>
    public required int RemovedLines { get; init; }

    /// <summary><c>AddedLines + RemovedLines</c>: a modified line counts twice.</summary>
    public int ChangedLines => AddedLines + RemovedLines;

    /// <summary>Counts <paramref name="diff"/> (git or plain unified format; LF or CRLF).</summary>
    /// <remarks>
    /// Hunk bodies are read by the counts in their <c>@@ -a,b +c,d @@</c> headers, so a removed line whose text
    /// starts with <c>--</c> (it reads <c>---…</c>) is a removed line, not a file header. A plain unified diff
    /// without <c>diff --git</c> headers counts one file per <c>---</c>/<c>+++</c> header pair. Binary files
    /// (<c>Binary files … differ</c>, <c>GIT binary patch</c>) count as a file with no lines.
    /// </remarks>
    public static DiffStats Count(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var lines = diff.Split('\n');
        int files = 0, added = 0, removed = 0, oldLeft = 0, newLeft = 0;

        // True between a `diff --git` header and its `---`/`+++` pair, so the pair does not count the file again.
        var gitHeaderOpen = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (oldLeft > 0 || newLeft > 0)
            {
                if (line.StartsWith('+'))
                {
                    added++;
                    newLeft--;
                    continue;
                }

                if (line.StartsWith('-'))
                {
                    removed++;
                    oldLeft--;
                    continue;
                }

                // Context; an empty line is context whose leading space an editor stripped.
                if (line.StartsWith(' ') || line.Length == 0)
                {
                    oldLeft--;
                    newLeft--;
                    continue;
                }

                if (line.StartsWith('\\'))
                {
                    continue;
                }

                // The hunk was shorter than its header claimed; read the line as a header.
                oldLeft = newLeft = 0;
            }

            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                files++;
                gitHeaderOpen = true;
            }
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                if (DiffHunkRange.Parse(line) is { } range)
                {
                    oldLeft = range.OldCount;
                    newLeft = range.NewCount;
                }
            }
            else if (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                if (!gitHeaderOpen)
                {
                    files++;
                }

                gitHeaderOpen = false;
                i++;
            }
            else if (line.StartsWith('+'))
            {
                // Outside any hunk (a hand-written diff with wrong counts): still a change.
                added++;
            }
            else if (line.StartsWith('-'))
            {
                removed++;
            }
        }

        return new DiffStats { Files = files, AddedLines = added, RemovedLines = removed };
    }
}
