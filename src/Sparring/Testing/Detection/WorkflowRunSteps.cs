using System.Text.RegularExpressions;

namespace Sparring.Testing.Detection;

/// <summary>
/// The <c>run:</c> scripts of a GitHub Actions workflow, read line by line without a YAML parser: an inline value
/// (quotes taken off), a literal block (<c>|</c>, one script line per line) or a folded block (<c>&gt;</c>, lines joined),
/// each with its step's <c>working-directory</c>.
/// </summary>
internal static partial class WorkflowRunSteps
{
    /// <summary>The <c>run:</c> scripts of every workflow in <c>.github/workflows</c> (files in name order), each with its file, tree-relative.</summary>
    public static IEnumerable<(string Source, string WorkingDirectory, List<string> Lines)> ReadAll(string tree)
    {
        var workflows = Path.Combine(tree, ".github", "workflows");
        if (!Directory.Exists(workflows))
        {
            yield break;
        }

        var files = Directory.EnumerateFiles(workflows)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(tree, f))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var (directory, lines) in Read(TreeScan.Read(tree, file)))
            {
                yield return (file, directory, lines);
            }
        }
    }

    public static IEnumerable<(string WorkingDirectory, List<string> Lines)> Read(string text)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = RunKey().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var indent = match.Groups["indent"].Length + match.Groups["dash"].Length;
            var value = match.Groups["value"].Value.Trim();
            var body = new List<string>();
            for (var j = i + 1; j < lines.Length && (lines[j].Trim().Length == 0 || Indent(lines[j]) > indent); j++)
            {
                body.Add(lines[j]);
            }

            var bodyIndent = body.Where(l => l.Trim().Length > 0).Select(Indent).DefaultIfEmpty(0).Min();
            var block = body.Select(l => l.Length >= bodyIndent ? l[bodyIndent..] : "").ToList();
            var script = value.StartsWith('|') ? block
                : value.StartsWith('>') ? Fold(block)
                : [string.Join(' ', new[] { Unquote(value) }.Concat(block.Select(l => l.Trim())).Where(l => l.Length > 0))];
            yield return (WorkingDirectory(lines, i, indent), script);
        }
    }

    /// <summary>A folded block: lines joined with spaces, a blank line or a more-indented line keeping its line break.</summary>
    private static List<string> Fold(List<string> block)
    {
        var folded = new List<string>();
        var current = "";
        foreach (var line in block)
        {
            if (line.Trim().Length == 0 || line.StartsWith(' '))
            {
                folded.Add(current);
                current = line.Trim();
                continue;
            }

            current = current.Length == 0 ? line : current + " " + line;
        }

        folded.Add(current);
        return folded.Where(l => l.Length > 0).ToList();
    }

    /// <summary>The <c>working-directory</c> among the keys of the step holding the <c>run:</c> at <paramref name="index"/>, tree-relative.</summary>
    private static string WorkingDirectory(string[] lines, int index, int indent)
    {
        var start = index;
        while (!StepStart(lines[start], indent) && start > 0
            && (lines[start - 1].Trim().Length == 0 || Indent(lines[start - 1]) >= indent || StepStart(lines[start - 1], indent)))
        {
            start--;
        }

        for (var j = start; j < lines.Length && (j <= index || lines[j].Trim().Length == 0 || Indent(lines[j]) >= indent); j++)
        {
            if (KeyIndent(lines[j]) == indent && WorkingDirectoryKey().Match(lines[j]) is { Success: true } key)
            {
                var dir = Unquote(key.Groups["value"].Value.Trim()).Trim('/');
                return dir.StartsWith("./", StringComparison.Ordinal) ? dir[2..] : dir == "." ? "" : dir;
            }
        }

        return "";
    }

    private static bool StepStart(string line, int indent) => KeyIndent(line) == indent && line.TrimStart().StartsWith("- ", StringComparison.Ordinal);

    private static int KeyIndent(string line) => Indent(line) + (line.TrimStart().StartsWith("- ", StringComparison.Ordinal) ? 2 : 0);

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    [GeneratedRegex(@"^(?<indent>\s*)(?<dash>-\s+)?run:\s*(?<value>.*)$")]
    private static partial Regex RunKey();

    [GeneratedRegex(@"^\s*(-\s+)?working-directory:\s*(?<value>.*)$")]
    private static partial Regex WorkingDirectoryKey();
}
