using Sparring.Repos;

namespace Sparring.Grading.Internal;

/// <summary>Finds added lines that carry a suspicious marker, file by file, in a unified diff.</summary>
/// <remarks>
/// Hunk bodies are read by the counts in their <c>@@</c> headers, as <c>git apply</c> reads them: an added line whose
/// text is <c>++ b/tests/…</c> reads <c>+++ b/tests/…</c>, and taking it for a file header would let the lines after
/// it pass as lines of a test file.
/// </remarks>
internal static class PatchScreen
{
    public static IReadOnlyList<string> Scan(string patch, IReadOnlyList<string> markers, Func<string, bool> ignoredPath)
    {
        var findings = new List<string>();
        string? file = null;
        int oldLeft = 0, newLeft = 0;
        foreach (var raw in patch.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (oldLeft > 0 || newLeft > 0)
            {
                switch (line.Length == 0 ? ' ' : line[0])
                {
                    case '+':
                        newLeft--;
                        Check(line);
                        continue;
                    case '-':
                        oldLeft--;
                        continue;
                    case ' ':
                        oldLeft--;
                        newLeft--;
                        continue;
                    case '\\':
                        continue;
                    default:
                        // The hunk was shorter than its header claimed; read the line as a header.
                        oldLeft = newLeft = 0;
                        break;
                }
            }

            if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                var target = line[4..].Trim();
                file = target == "/dev/null" ? null : target.StartsWith("b/", StringComparison.Ordinal) ? target[2..] : target;
            }
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                (oldLeft, newLeft) = Counts(line);
            }
            else
            {
                Check(line);
            }
        }

        return findings;

        void Check(string line)
        {
            if (file is null || ignoredPath(file) || !line.StartsWith('+'))
            {
                return;
            }

            var marker = markers.FirstOrDefault(m => line.Contains(m, StringComparison.Ordinal));
            if (marker is not null)
            {
                var text = line[1..].Trim();
                findings.Add($"patch screen: {file} adds '{marker}' ({(text.Length > 80 ? text[..80] + "…" : text)}), which a source fix has no reason to contain");
            }
        }
    }

    /// <summary>The lines a hunk covers on each side; none for a header git would not read (the lines after it are then screened one by one).</summary>
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
