using Sparring.Repos;

namespace Sparring.Grading.Internal;

/// <summary>Finds added lines that carry a suspicious marker, file by file, in a unified diff.</summary>
/// <remarks>
/// The diff is read as <c>git apply</c> reads it (<see cref="DiffLines"/>): an added line whose text is
/// <c>++ b/tests/…</c> reads <c>+++ b/tests/…</c>, and taking it for a file header would let the lines after it pass
/// as lines of a test file.
/// </remarks>
internal static class PatchScreen
{
    public static IReadOnlyList<string> Scan(string patch, IReadOnlyList<string> markers, Func<string, bool> ignoredPath)
    {
        var findings = new List<string>();
        string? file = null;
        foreach (var line in DiffLines.Read(patch))
        {
            if (line.Kind == DiffLineKind.NewFile)
            {
                var target = line.Text[4..].Trim();
                file = target == "/dev/null" ? null : target.StartsWith("b/", StringComparison.Ordinal) ? target[2..] : target;
                continue;
            }

            if (line.Kind != DiffLineKind.Added || file is null || ignoredPath(file))
            {
                continue;
            }

            var marker = markers.FirstOrDefault(m => line.Text.Contains(m, StringComparison.Ordinal));
            if (marker is not null)
            {
                var text = line.Text[1..].Trim();
                findings.Add($"patch screen: {file} adds '{marker}' ({(text.Length > 80 ? text[..80] + "…" : text)}), which a source fix has no reason to contain");
            }
        }

        return findings;
    }
}
