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
        int files = 0, added = 0, removed = 0;

        // True between a `diff --git` header and its `---`/`+++` pair, so the pair does not count the file again.
        var gitHeaderOpen = false;
        foreach (var line in DiffLines.Read(diff))
        {
            switch (line.Kind)
            {
                case DiffLineKind.GitHeader:
                    files++;
                    gitHeaderOpen = true;
                    break;
                case DiffLineKind.NewFile:
                    files += gitHeaderOpen ? 0 : 1;
                    gitHeaderOpen = false;
                    break;
                case DiffLineKind.Added:
                    added++;
                    break;
                case DiffLineKind.Removed:
                    removed++;
                    break;
            }
        }

        return new DiffStats { Files = files, AddedLines = added, RemovedLines = removed };
    }
}
