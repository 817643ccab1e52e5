using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection;

public sealed partial class TestWeakener
{
    /// <summary><c>module/pkg/TestName[/sub]</c>: the whole top-level test function with its doc comment.</summary>
    private static (string Path, int Start, int End, string Name)? LocateGo(
        string tree, HashSet<string> tests, IReadOnlyList<Symbol> symbols, string module, string id, Func<string, string[]> read)
    {
        var rest = id[module.Length..].TrimStart('/');
        var segments = rest.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var directory = string.Join('/', segments[..i]);
            var name = segments[i];
            var pattern = new Regex(@"^func\s+" + Regex.Escape(name) + @"\s*\(");
            foreach (var path in tests.Where(t => t.EndsWith("_test.go", StringComparison.Ordinal) && (Path.GetDirectoryName(t) ?? "") == directory).Order(StringComparer.Ordinal))
            {
                var lines = read(path);
                var index = Array.FindIndex(lines, l => pattern.IsMatch(l));
                if (index < 0)
                {
                    continue;
                }

                var symbol = symbols.FirstOrDefault(s => s.Path == path && s.Name == name && s.StartLine == index + 1);
                var end = symbol?.EndLine ?? BraceEnd(lines, index);
                if (end is null)
                {
                    return null;
                }

                var start = index + 1;
                while (start > 1 && lines[start - 2].TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    start--;
                }

                return (path, start, end.Value, name);
            }
        }

        _ = tree;
        return null;
    }

    /// <summary>The module path from go.mod at the tree's root, or null.</summary>
    private static string? GoModule(string tree)
    {
        var path = Path.Combine(tree, "go.mod");
        return File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("module ", StringComparison.Ordinal))?["module ".Length..].Trim()
            : null;
    }

    /// <summary>Drops imports no longer referenced once tests are deleted (Go refuses to compile them).</summary>
    private static List<string> RemoveUnusedGoImports(List<string> lines)
    {
        var inBlock = false;
        var importLines = new List<(int Index, string Name)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.StartsWith("import (", StringComparison.Ordinal))
            {
                inBlock = true;
            }
            else if (inBlock && trimmed == ")")
            {
                inBlock = false;
            }
            else if ((inBlock || trimmed.StartsWith("import ", StringComparison.Ordinal)) && GoImport().Match(trimmed) is { Success: true } match)
            {
                var alias = match.Groups[1].Success ? match.Groups[1].Value : null;
                var name = alias ?? GoPackageName(match.Groups[2].Value);
                if (name is not "_" and not ".")
                {
                    importLines.Add((i, name));
                }
            }
        }

        var body = string.Join('\n', lines.Where((_, i) => !importLines.Any(l => l.Index == i)));
        var unused = importLines.Where(l => !Regex.IsMatch(body, @"\b" + Regex.Escape(l.Name) + @"\.")).Select(l => l.Index).ToHashSet();
        return lines.Where((_, i) => !unused.Contains(i)).ToList();
    }

    private static string GoPackageName(string importPath)
    {
        var segments = importPath.Split('/');
        var last = segments[^1];
        if (Regex.IsMatch(last, @"^v\d+$") && segments.Length > 1)
        {
            last = segments[^2];
        }

        var dot = last.IndexOf(".v", StringComparison.Ordinal);
        last = dot > 0 ? last[..dot] : last;
        return last.Replace("go-", "", StringComparison.Ordinal).Replace('-', '_');
    }

    [GeneratedRegex("""^(?:import\s+)?(?:([\w.]+)\s+)?"([^"]+)"$""")]
    private static partial Regex GoImport();
}
