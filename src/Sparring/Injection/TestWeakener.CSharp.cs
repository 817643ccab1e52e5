using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection;

public sealed partial class TestWeakener
{
    /// <summary><c>Ns.Class.Method(args)</c> (TRX), or its n-th row <c>… [#n]</c>: the method with its attributes and doc comment.</summary>
    private static (string Path, int Start, int End, string Name)? LocateCSharp(HashSet<string> tests, IReadOnlyList<Symbol> symbols, string id, Func<string, string[]> read)
    {
        id = RepeatSuffix().Replace(id, "");
        var paren = id.IndexOf('(', StringComparison.Ordinal);
        var qualified = paren > 0 ? id[..paren] : id;
        var dot = qualified.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var method = qualified[(dot + 1)..];
        var type = qualified[..dot];
        type = type[(Math.Max(type.LastIndexOf('.'), type.LastIndexOf('+')) + 1)..];
        var classPattern = new Regex(@"\b(class|record|struct)\s+" + Regex.Escape(type) + @"\b");
        var methodPattern = new Regex(@"^\s*[\w<>\[\],\s]*\b" + Regex.Escape(method) + @"\s*\(");
        foreach (var path in tests.Where(t => t.EndsWith(".cs", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var lines = read(path);
            if (!lines.Any(l => classPattern.IsMatch(l)))
            {
                continue;
            }

            var symbol = symbols.FirstOrDefault(s => s.Path == path && s.Name == method && s.Kind == SymbolKind.Method
                && (s.Scope is null || s.Scope == type || s.Scope.EndsWith("." + type, StringComparison.Ordinal)));
            var index = symbol is not null ? symbol.StartLine - 1 : Array.FindIndex(lines, l => methodPattern.IsMatch(l) && !l.TrimEnd().EndsWith(';'));
            if (index < 0)
            {
                continue;
            }

            var end = symbol?.EndLine ?? (lines[index].Contains("=>", StringComparison.Ordinal) && !lines[index].Contains('{', StringComparison.Ordinal)
                ? Array.FindIndex(lines, index, l => l.TrimEnd().EndsWith(';')) + 1
                : BraceEnd(lines, index));
            if (end is null or < 1)
            {
                return null;
            }

            var start = index + 1;
            while (start > 1 && lines[start - 2].TrimStart() is var above && (above.StartsWith('[') || above.StartsWith("///", StringComparison.Ordinal)))
            {
                start--;
            }

            return (path, start, end.Value, method);
        }

        return null;
    }
}
