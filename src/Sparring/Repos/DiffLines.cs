namespace Sparring.Repos;

/// <summary>
/// Reads a unified diff line by line as <c>git apply</c> does: hunk bodies by the counts in their <c>@@</c> headers,
/// so a body line whose text reads like a header (<c>+++ b/tests/…</c>, <c>--- a/x</c>) stays a body line; outside
/// hunks, a <c>---</c> line is a file header only when a <c>+++</c> line follows it.
/// </summary>
/// <remarks>
/// Git diffs and plain unified diffs alike; LF or CRLF. A hunk shorter than its header claims ends at the first line
/// that cannot be part of a body. A header whose counts do not fit an <see cref="int"/> opens no body: the lines after
/// it are read one by one.
/// </remarks>
public static class DiffLines
{
    public static IEnumerable<DiffLine> Read(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var lines = diff.Split('\n');
        int oldLeft = 0, newLeft = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (oldLeft > 0 || newLeft > 0)
            {
                switch (line.Length == 0 ? ' ' : line[0])
                {
                    case '+':
                        newLeft--;
                        yield return new DiffLine(DiffLineKind.Added, line);
                        continue;
                    case '-':
                        oldLeft--;
                        yield return new DiffLine(DiffLineKind.Removed, line);
                        continue;
                    case ' ':
                        oldLeft--;
                        newLeft--;
                        yield return new DiffLine(DiffLineKind.Context, line);
                        continue;
                    case '\\':
                        yield return new DiffLine(DiffLineKind.Other, line);
                        continue;
                    default:
                        oldLeft = newLeft = 0;
                        break;
                }
            }

            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                yield return new DiffLine(DiffLineKind.GitHeader, line);
            }
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                (oldLeft, newLeft) = Counts(line);
                yield return new DiffLine(DiffLineKind.HunkHeader, line);
            }
            else if (line.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                yield return new DiffLine(DiffLineKind.OldFile, line);
                yield return new DiffLine(DiffLineKind.NewFile, lines[++i].TrimEnd('\r'));
            }
            else if (line.StartsWith('+'))
            {
                yield return new DiffLine(DiffLineKind.Added, line);
            }
            else if (line.StartsWith('-'))
            {
                yield return new DiffLine(DiffLineKind.Removed, line);
            }
            else
            {
                yield return new DiffLine(DiffLineKind.Other, line);
            }
        }
    }

    private static (int Old, int New) Counts(string header)
    {
        try
        {
            return DiffHunkRange.Parse(header) is { } range ? (range.OldCount, range.NewCount) : (0, 0);
        }
        catch (OverflowException)
        {
            return (0, 0);
        }
    }
}
