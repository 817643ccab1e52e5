using System.Globalization;

namespace Sparring.Repos.Internal;

/// <summary>Reads <c>git log --numstat -z</c> with our record and field separators.</summary>
internal static class CommitLogParser
{
    public static IReadOnlyList<CommitInfo> Parse(string text, string recordSeparator)
    {
        var commits = new List<CommitInfo>();
        foreach (var record in text.Split(recordSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var headerEnd = record.IndexOf('\0', StringComparison.Ordinal);
            var header = headerEnd < 0 ? record : record[..headerEnd];
            var fields = header.Split('\u001f');
            if (fields.Length < 6)
            {
                continue;
            }

            var files = new List<FileChange>();
            if (headerEnd >= 0)
            {
                foreach (var entry in record[(headerEnd + 1)..].Split('\0', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = entry.TrimStart('\n').Split('\t', 3);
                    if (parts.Length == 3)
                    {
                        files.Add(new FileChange(parts[2], ParseCount(parts[0]), ParseCount(parts[1])));
                    }
                }
            }

            commits.Add(new CommitInfo
            {
                Id = fields[0],
                Parents = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                AuthorName = fields[2],
                AuthorEmail = fields[3],
                AuthorDate = DateTimeOffset.Parse(fields[4], CultureInfo.InvariantCulture),
                Subject = string.Join('\u001f', fields[5..]),
                Files = files,
            });
        }

        return commits;
    }

    private static int? ParseCount(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
