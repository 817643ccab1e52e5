using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection;

public sealed partial class TestWeakener
{
    /// <summary><c>path::[Class::]test_name[param]</c>: the whole function with its decorators.</summary>
    private static (string Path, int Start, int End, string Name)? LocatePython(string id, IReadOnlyList<Symbol> symbols, Func<string, string[]> read)
    {
        var parts = id.Split("::");
        var path = parts[0];
        var name = parts[^1];
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0)
        {
            name = name[..bracket];
        }

        var className = parts.Length > 2 ? parts[^2] : null;
        var lines = read(path);
        var symbol = symbols.FirstOrDefault(s => s.Path == path && s.Name == name
            && (className is null ? s.Scope is null : s.Scope is not null && (s.Scope == className || s.Scope.EndsWith("." + className, StringComparison.Ordinal))));
        int start, end;
        if (symbol is not null)
        {
            (start, end) = (symbol.StartLine, symbol.EndLine);
        }
        else
        {
            var pattern = new Regex(@"^\s*(async\s+)?def\s+" + Regex.Escape(name) + @"\s*\(");
            var index = Array.FindIndex(lines, l => pattern.IsMatch(l));
            if (index < 0)
            {
                return null;
            }

            start = index + 1;
            end = PythonBlockEnd(lines, start);
        }

        return (path, PythonDecoratorsStart(lines, start), end, name);
    }

    /// <summary>The last line of the block opened at <paramref name="start"/>: the line before the next one indented no deeper.</summary>
    private static int PythonBlockEnd(string[] lines, int start)
    {
        var indent = Indent(lines[start - 1]);
        var end = start;
        var depth = 0;
        for (var i = start - 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i > start - 1 && depth == 0 && !string.IsNullOrWhiteSpace(line) && Indent(line) <= indent)
            {
                break;
            }

            depth += line.Count(c => c is '(' or '[' or '{') - line.Count(c => c is ')' or ']' or '}');
            depth = Math.Max(depth, 0);
            if (!string.IsNullOrWhiteSpace(line))
            {
                end = i + 1;
            }
        }

        return end;
    }

    /// <summary>The first line of the decorators stacked on the definition at <paramref name="start"/> (multi-line ones included).</summary>
    private static int PythonDecoratorsStart(string[] lines, int start)
    {
        var indent = Indent(lines[start - 1]);
        var top = start;
        for (var i = start - 2; i >= 0; i--)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (string.IsNullOrWhiteSpace(line))
            {
                break;
            }

            if (Indent(line) == indent && trimmed.StartsWith('@'))
            {
                top = i + 1;
            }
            else if (Indent(line) <= indent && !trimmed.StartsWith(')') && !trimmed.StartsWith(']'))
            {
                break;
            }
        }

        return top;
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;
}
