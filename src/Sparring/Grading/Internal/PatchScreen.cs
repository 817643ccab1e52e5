namespace Sparring.Grading.Internal;

/// <summary>Finds added lines that carry a suspicious marker, file by file, in a unified diff.</summary>
internal static class PatchScreen
{
    public static IReadOnlyList<string> Scan(string patch, IReadOnlyList<string> markers, Func<string, bool> ignoredPath)
    {
        var findings = new List<string>();
        string? file = null;
        var lineNumber = 0;
        foreach (var raw in patch.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            lineNumber++;
            if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                var target = line[4..].Trim();
                file = target == "/dev/null" ? null : target.StartsWith("b/", StringComparison.Ordinal) ? target[2..] : target;
                continue;
            }

            if (file is null || ignoredPath(file) || !line.StartsWith('+'))
            {
                continue;
            }

            var marker = markers.FirstOrDefault(m => line.Contains(m, StringComparison.Ordinal));
            if (marker is not null)
            {
                var text = line[1..].Trim();
                findings.Add($"patch screen: {file} adds '{marker}' ({(text.Length > 80 ? text[..80] + "…" : text)}), which a source fix has no reason to contain");
            }
        }

        return findings;
    }
}
