using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>
/// Replaces a function's body with a neutral stub that still builds and runs (Python <c>return None</c>,
/// Go zero values, JavaScript <c>return undefined;</c>, TypeScript <c>return undefined as any;</c> (so a declared return
/// type still compiles), C# <c>return default!;</c>), or says it cannot
/// (null) when the body is trivial or the stub could not be made safely.
/// </summary>
internal static class Stubs
{
    /// <summary>The edit that stubs <paramref name="symbol"/>'s body, or null.</summary>
    public static Edit? Stub(SourceText source, Symbol symbol) => source.Language switch
    {
        "Python" => PythonStub.Stub(source, symbol),
        "Go" => GoStub.Stub(source, symbol),
        "JavaScript" => JavaScript(source, symbol, "return undefined;"),
        "TypeScript" => JavaScript(source, symbol, "return undefined as any;"),
        "C#" => CSharpStub.Stub(source, symbol),
        _ => null,
    };

    public static bool IsConstructor(Symbol symbol) =>
        symbol.Name is "__init__" or "__new__" or "constructor"
        || symbol.Language == "C#" && symbol.Scope is { } scope && scope.Split('.')[^1] == symbol.Name;

    private static Edit? JavaScript(SourceText source, Symbol symbol, string statement)
    {
        var open = FindBodyBrace(source, symbol, stopAtArrowOrSemicolon: false);
        if (open < 0)
        {
            return null;
        }

        return BlockBody(source, open, [statement]);
    }

    /// <summary>
    /// The offset of the '{' opening the body: the first code brace outside parentheses and brackets from the
    /// symbol's first line, within a few lines. -1 when there is none, or when a '=>' or ';' comes first and
    /// <paramref name="stopAtArrowOrSemicolon"/> (C# expression bodies and abstract members).
    /// </summary>
    public static int FindBodyBrace(SourceText source, Symbol symbol, bool stopAtArrowOrSemicolon, Func<int, bool>? isTypeBrace = null)
    {
        var depth = 0;
        var limit = source.LineEnd(Math.Min(symbol.EndLine, symbol.StartLine + 8));
        for (var i = source.LineStart(symbol.StartLine); i < limit; i++)
        {
            if (!source.Code[i])
            {
                continue;
            }

            var c = source.Text[i];
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (depth == 0 && c == '{')
            {
                if (isTypeBrace?.Invoke(i) == true)
                {
                    var close = source.MatchBracket(i);
                    if (close < 0)
                    {
                        return -1;
                    }

                    i = close;
                    continue;
                }

                return i;
            }
            else if (depth == 0 && stopAtArrowOrSemicolon && (c == ';' || c == '=' && i + 1 < source.Text.Length && source.Text[i + 1] == '>'))
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>Replaces everything between the braces of a block with <paramref name="statements"/>, one a line; null when the block is trivial.</summary>
    public static Edit? BlockBody(SourceText source, int open, IReadOnlyList<string> statements)
    {
        var close = source.MatchBracket(open);
        if (close < 0)
        {
            return null;
        }

        var openLine = source.LineOf(open);
        var closeLine = source.LineOf(close);
        if (CodeLines(source, openLine + 1, closeLine - 1) < 2)
        {
            return null;
        }

        var closeIndent = SourceText.Indentation(source.Line(closeLine));
        var indent = BodyIndent(source, openLine + 1, closeLine - 1) ?? closeIndent + "    ";
        var body = string.Concat(statements.Select(s => "\n" + indent + s)) + "\n" + closeIndent;
        return new Edit(open + 1, close - open - 1, body);
    }

    /// <summary>Lines in the range that hold code other than lone brackets.</summary>
    public static int CodeLines(SourceText source, int from, int to)
    {
        var count = 0;
        for (var line = from; line <= to; line++)
        {
            var code = source.CodeLine(line).Trim();
            if (code.Length > 0 && code.Trim('{', '}', '(', ')', ';', ',', ' ').Length > 0)
            {
                count++;
            }
        }

        return count;
    }

    public static string? BodyIndent(SourceText source, int from, int to)
    {
        for (var line = from; line <= to; line++)
        {
            if (source.Line(line).Trim().Length > 0)
            {
                return SourceText.Indentation(source.Line(line));
            }
        }

        return null;
    }
}
