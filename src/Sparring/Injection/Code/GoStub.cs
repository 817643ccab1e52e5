using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>Go: the body becomes <c>return</c> of the zero values of the result types (a naked <c>return</c> for named results).</summary>
internal static partial class GoStub
{
    private static readonly HashSet<string> Numbers = new(StringComparer.Ordinal)
    {
        "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
        "byte", "rune", "float32", "float64", "complex64", "complex128",
    };

    public static Edit? Stub(SourceText source, Symbol symbol)
    {
        var open = Stubs.FindBodyBrace(source, symbol, stopAtArrowOrSemicolon: false, i => IsTypeBrace(source.Text, i));
        if (open < 0)
        {
            return null;
        }

        var header = Flatten(source, source.LineStart(symbol.StartLine), open);
        var results = Results(header);
        if (results is null)
        {
            return null;
        }

        string statement;
        if (results.Count == 0)
        {
            statement = "return";
        }
        else if (IsNamed(results))
        {
            statement = "return";
        }
        else
        {
            var zeros = results.Select(r => ZeroValue(r, source.Text)).ToList();
            if (zeros.Any(z => z is null))
            {
                return null;
            }

            statement = "return " + string.Join(", ", zeros);
        }

        return Stubs.BlockBody(source, open, [statement]);
    }

    /// <summary>The header's code with strings and comments blanked and newlines folded, from 'func' up to the body brace.</summary>
    private static string Flatten(SourceText source, int from, int to)
    {
        var chars = new char[to - from];
        for (var i = from; i < to; i++)
        {
            chars[i - from] = source.Code[i] && !char.IsWhiteSpace(source.Text[i]) ? source.Text[i] : ' ';
        }

        return Spaces().Replace(new string(chars), " ").Trim();
    }

    /// <summary>The result types, or null when the header cannot be read.</summary>
    internal static List<string>? Results(string header)
    {
        var match = FuncStart().Match(header);
        if (!match.Success)
        {
            return null;
        }

        var i = match.Length;
        if (i < header.Length && header[i] == '(')
        {
            i = Close(header, i) + 1; // receiver
        }

        var name = Identifier().Match(header, i);
        if (!name.Success || name.Index != i + (header.Length > i && header[i] == ' ' ? 1 : 0))
        {
            return null;
        }

        i = name.Index + name.Length;
        if (i < header.Length && header[i] == '[')
        {
            i = Close(header, i) + 1; // type parameters
        }

        if (i <= 0 || i >= header.Length || header[i] != '(')
        {
            return null;
        }

        var rest = header[(Close(header, i) + 1)..].Trim();
        if (rest.Length == 0)
        {
            return [];
        }

        if (rest[0] != '(')
        {
            return [rest];
        }

        if (Close(rest, 0) != rest.Length - 1)
        {
            return null;
        }

        return SplitTopLevel(rest[1..^1]);
    }

    internal static List<string> SplitTopLevel(string list)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            depth += list[i] is '(' or '[' or '{' ? 1 : list[i] is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0 && list[i] == ',')
            {
                parts.Add(list[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(list[start..].Trim());
        return parts.Where(p => p.Length > 0).ToList();
    }

    private static bool IsNamed(List<string> results)
    {
        var last = results[^1];
        var space = TopLevelSpace(last);
        if (space < 0)
        {
            return false;
        }

        var first = last[..space];
        return first is not ("chan" or "func" or "<-chan" or "map" or "struct" or "interface") && Identifier().Match(first).Length == first.Length;
    }

    private static int TopLevelSpace(string text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] is '(' or '[' or '{' ? 1 : text[i] is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0 && text[i] == ' ')
            {
                return i;
            }
        }

        return -1;
    }

    internal static string? ZeroValue(string type, string fileText)
    {
        type = type.Trim();
        if (type.Length == 0 || type.StartsWith("...", StringComparison.Ordinal))
        {
            return null;
        }

        if (type is "error" or "any" || type.StartsWith('*') || type.StartsWith("[]", StringComparison.Ordinal)
            || type.StartsWith("map[", StringComparison.Ordinal) || type.StartsWith("chan", StringComparison.Ordinal)
            || type.StartsWith("<-", StringComparison.Ordinal) || type.StartsWith("func", StringComparison.Ordinal)
            || type.StartsWith("interface", StringComparison.Ordinal) || type == "unsafe.Pointer")
        {
            return "nil";
        }

        if (Numbers.Contains(type))
        {
            return "0";
        }

        if (type is "string" or "bool")
        {
            return type == "string" ? "\"\"" : "false";
        }

        if (type.StartsWith('[') || type.StartsWith("struct", StringComparison.Ordinal))
        {
            return type + "{}";
        }

        if (QualifiedName().IsMatch(type))
        {
            // A struct declared in this file is T{}; anything else (interfaces, named basics, type parameters) *new(T).
            var declaredStruct = new Regex(@"(?m)^\s*(type\s+)?" + Regex.Escape(type) + @"(\[[^\]]*\])?\s+struct\s*\{", RegexOptions.None, TimeSpan.FromSeconds(1));
            return declaredStruct.IsMatch(fileText) ? type + "{}" : "*new(" + type + ")";
        }

        return null;
    }

    private static bool IsTypeBrace(string text, int brace)
    {
        var j = brace - 1;
        while (j >= 0 && text[j] == ' ')
        {
            j--;
        }

        return j >= 5 && text.AsSpan(0, j + 1).EndsWith("struct", StringComparison.Ordinal)
            || j >= 8 && text.AsSpan(0, j + 1).EndsWith("interface", StringComparison.Ordinal);
    }

    private static int Close(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] is '(' or '[' or '{' ? 1 : text[i] is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return text.Length - 1;
    }

    [GeneratedRegex(@"^func ?")]
    private static partial Regex FuncStart();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?(\[[^\]]+\])?$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
