using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>Python: keeps the <c>def</c> line(s) and the docstring, replaces the rest with <c>return None</c> (<c>return</c> + <c>yield</c> in generators).</summary>
internal static partial class PythonStub
{
    public static Edit? Stub(SourceText source, Symbol symbol)
    {
        var headerEnd = HeaderEnd(source, symbol);
        if (headerEnd < 0 || source.CodeLine(source.LineOf(headerEnd))[(headerEnd - source.LineStart(source.LineOf(headerEnd)) + 1)..].Trim().Length > 0)
        {
            return null; // one-line def, or no header found
        }

        var bodyStart = source.LineOf(headerEnd) + 1;
        var bodyEnd = symbol.EndLine;
        var indent = Stubs.BodyIndent(source, bodyStart, bodyEnd);
        if (indent is null)
        {
            return null;
        }

        while (bodyEnd > bodyStart && (source.Line(bodyEnd).Trim().Length == 0 || SourceText.Indentation(source.Line(bodyEnd)).Length < indent.Length))
        {
            bodyEnd--;
        }

        var first = bodyStart;
        while (first <= bodyEnd && source.Line(first).Trim().Length == 0)
        {
            first++;
        }

        // A docstring stays: the model (and the solver) should still see what the function is for.
        var firstOffset = source.LineStart(first) + indent.Length;
        if (first <= bodyEnd && firstOffset < source.Text.Length && !source.Code[firstOffset])
        {
            var end = firstOffset;
            while (end < source.Text.Length && !source.Code[end])
            {
                end++;
            }

            first = source.LineOf(end - 1) + 1;
        }

        if (first > bodyEnd || Stubs.CodeLines(source, first, bodyEnd) < 2)
        {
            return null;
        }

        var body = source.Text[source.LineStart(first)..source.LineEnd(bodyEnd)];
        var isGenerator = Enumerable.Range(first, bodyEnd - first + 1).Any(l => Yield().IsMatch(source.CodeLine(l)));
        var stub = isGenerator ? $"{indent}return\n{indent}yield" : $"{indent}return None";
        return new Edit(source.LineStart(first), body.Length, stub);
    }

    /// <summary>The offset of the ':' ending the def header (outside brackets), or -1.</summary>
    private static int HeaderEnd(SourceText source, Symbol symbol)
    {
        var depth = 0;
        var start = source.LineStart(symbol.StartLine);
        if (!source.Line(symbol.StartLine).TrimStart().StartsWith("def ", StringComparison.Ordinal)
            && !source.Line(symbol.StartLine).TrimStart().StartsWith("async def ", StringComparison.Ordinal))
        {
            return -1;
        }

        for (var i = start; i < source.LineEnd(symbol.EndLine); i++)
        {
            if (!source.Code[i])
            {
                continue;
            }

            var c = source.Text[i];
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0 && c == ':')
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"\byield\b")]
    private static partial Regex Yield();
}
