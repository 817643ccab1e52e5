using System.Text.RegularExpressions;

namespace Sparring.Injection.Code;

/// <summary>
/// Go refuses to compile a file with an unused import, and a stubbed body may have been the only user
/// of one: drops the imports the edit left unused.
/// </summary>
internal static partial class GoImports
{
    /// <summary>The edited text without imports it no longer uses; null when an import's name cannot be told.</summary>
    public static string? RemoveUnused(string original, string edited)
    {
        var before = new SourceText(original, "Go");
        var after = new SourceText(edited, "Go");
        var remove = new List<int>();
        foreach (var (line, name) in Imports(after))
        {
            if (name is "_" or ".")
            {
                continue;
            }

            var usedBefore = Uses(before, name);
            var usedAfter = Uses(after, name);
            if (usedBefore == 0)
            {
                // Our guess at the package name is wrong (it was used before, under another name): unsafe to touch.
                return null;
            }

            if (usedAfter == 0)
            {
                remove.Add(line);
            }
        }

        if (remove.Count == 0)
        {
            return edited;
        }

        var lines = edited.Split('\n').ToList();
        foreach (var line in remove.OrderDescending())
        {
            var text = lines[line - 1].Trim();
            if (text.StartsWith("import ", StringComparison.Ordinal) && text.Contains('(', StringComparison.Ordinal))
            {
                return null;
            }

            var at = line - 1;
            lines.RemoveAt(at);

            // gofmt wants no blank line opening or closing the block, and one between groups at most.
            if (at < lines.Count && lines[at].Trim().Length == 0 && at > 0 && (lines[at - 1].Trim().Length == 0 || lines[at - 1].TrimEnd().EndsWith('(')))
            {
                lines.RemoveAt(at);
            }
            else if (at > 0 && at < lines.Count && lines[at - 1].Trim().Length == 0 && lines[at].Trim() == ")")
            {
                lines.RemoveAt(at - 1);
            }
        }

        // An import block left empty goes too (gofmt would rewrite it), with the blank line after it.
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            if (lines[i].Trim() is "import (" or "import(" && lines[i + 1].Trim() == ")")
            {
                lines.RemoveRange(i, 2);
                if (i < lines.Count && lines[i].Trim().Length == 0 && i > 0 && lines[i - 1].Trim().Length == 0)
                {
                    lines.RemoveAt(i);
                }
            }
        }

        return string.Join('\n', lines);
    }

    private static IEnumerable<(int Line, string Name)> Imports(SourceText source)
    {
        var inBlock = false;
        for (var line = 1; line <= source.LineCount; line++)
        {
            var code = source.CodeLine(line).Trim();
            var text = source.Line(line).Trim();
            if (code.StartsWith("import (", StringComparison.Ordinal) || code == "import(")
            {
                inBlock = true;
                continue;
            }

            if (inBlock && code.StartsWith(')'))
            {
                inBlock = false;
                continue;
            }

            var spec = inBlock ? text : code.StartsWith("import ", StringComparison.Ordinal) ? text["import ".Length..].Trim() : null;
            if (spec is null || Spec().Match(spec) is not { Success: true } match)
            {
                continue;
            }

            yield return (line, match.Groups["alias"].Success ? match.Groups["alias"].Value : PackageName(match.Groups["path"].Value));
        }
    }

    private static string PackageName(string path)
    {
        var segments = path.Split('/');
        var last = segments[^1];
        if (VersionSuffix().IsMatch(last) && segments.Length > 1)
        {
            last = segments[^2];
        }

        last = last.Split('.')[0];
        return last.StartsWith("go-", StringComparison.Ordinal) ? last[3..] : last.Replace("-", string.Empty, StringComparison.Ordinal);
    }

    private static int Uses(SourceText source, string name)
    {
        var count = 0;
        foreach (Match match in Regex.Matches(source.Text, @"\b" + Regex.Escape(name) + @"\s*\.", RegexOptions.None, TimeSpan.FromSeconds(2)))
        {
            if (source.Code[match.Index] && (match.Index == 0 || source.Text[match.Index - 1] != '.'))
            {
                count++;
            }
        }

        return count;
    }

    [GeneratedRegex("""^(?:(?<alias>[A-Za-z_.][A-Za-z0-9_]*)\s+)?"(?<path>[^"]+)"\s*(//.*)?$""")]
    private static partial Regex Spec();

    [GeneratedRegex(@"^v[0-9]+$")]
    private static partial Regex VersionSuffix();
}
