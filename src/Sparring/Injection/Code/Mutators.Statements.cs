using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection.Code;

internal static partial class Mutators
{
    private static IEnumerable<Mutation> Statements(SourceText source, Symbol symbol, int line, string code)
    {
        var where = Where(symbol, line);
        var trimmed = code.Trim();
        var python = source.Language == "Python";
        if (Condition(source, line, code) is { } condition)
        {
            var (at, length) = condition;
            var text = source.Text.Substring(at, length);
            var inverted = python ? $"not ({text})" : $"!({text})";
            yield return new Mutation(symbol, "invert-if", new Edit(at, length, inverted), $"inverted the condition in {where}");
            if (Guard(source, symbol, line) is { } guardEnd && !(source.Language == "Go" && ErrWord().IsMatch(text)))
            {
                yield return new Mutation(symbol, "remove-guard", RemoveLines(source, symbol, line, guardEnd), $"removed the guard in {where}");
            }
        }

        if (IsSimpleStatement(source, trimmed) && AssignmentTarget(source, symbol, line, trimmed) is not null)
        {
            yield return new Mutation(symbol, "remove-assignment", RemoveLines(source, symbol, line, line), $"removed the assignment in {where}");
        }

        var bare = trimmed.TrimEnd(';').Trim();
        if (bare is "continue" || bare is "break" && source.Language != "C#")
        {
            yield return new Mutation(symbol, "remove-loop-control", RemoveLines(source, symbol, line, line), $"removed '{bare}' in {where}");
        }

        if (line < symbol.EndLine && Swap(source, symbol, line) is { } swap)
        {
            yield return new Mutation(symbol, "swap-statements", swap, $"swapped two statements in {where}");
        }
    }

    /// <summary>The condition of an if on this line (offset and length in the text), when it is on one line.</summary>
    private static (int At, int Length)? Condition(SourceText source, int line, string code)
    {
        var start = source.LineStart(line);
        var match = IfStart().Match(code);
        if (!match.Success)
        {
            return null;
        }

        var from = match.Index + match.Length;
        switch (source.Language)
        {
            case "Python":
                var colon = code.TrimEnd().Length - 1;
                return colon > from && code[colon] == ':' && Balanced(code[from..colon]) ? (start + from, code[from..colon].TrimEnd().Length) : null;
            case "Go":
                var brace = code.TrimEnd().Length - 1;
                if (brace <= from || code[brace] != '{')
                {
                    return null;
                }

                var semicolon = code.IndexOf(';', from);
                var condFrom = semicolon > 0 && semicolon < brace ? semicolon + 1 : from;
                var cond = code[condFrom..brace];
                var lead = cond.Length - cond.TrimStart().Length;
                return Balanced(cond) && cond.Trim().Length > 0 ? (start + condFrom + lead, cond.Trim().Length) : null;
            default:
                var open = code.IndexOf('(', from - 1);
                if (open < 0)
                {
                    return null;
                }

                var close = source.MatchBracket(start + open);
                return close > start + open && source.LineOf(close) == line ? (start + open + 1, close - start - open - 1) : null;
        }
    }

    /// <summary>The last line of an if whose only statement is an early exit and which has no else; null otherwise.</summary>
    private static int? Guard(SourceText source, Symbol symbol, int line)
    {
        var code = source.CodeLine(line);
        var indent = SourceText.Indentation(code).Length;
        var python = source.Language == "Python";
        if (!python && !code.TrimEnd().EndsWith('{'))
        {
            return null;
        }

        if (line + 2 > symbol.EndLine || !Exit().IsMatch(source.CodeLine(line + 1).Trim()))
        {
            return null;
        }

        var end = python ? line + 1 : line + 2;
        if (!python && source.CodeLine(end).Trim() != "}")
        {
            return null;
        }

        var after = NextCodeLine(source, end, symbol.EndLine);
        if (after is { } a && ElseStart().IsMatch(source.CodeLine(a).Trim()) && SourceText.Indentation(source.CodeLine(a)).Length == indent)
        {
            return null;
        }

        return code.TrimStart().StartsWith("el", StringComparison.Ordinal) || code.TrimStart().StartsWith('}') ? null : end;
    }

    /// <summary>Deletes whole lines; in Python a block left empty gets <c>pass</c>.</summary>
    private static Edit RemoveLines(SourceText source, Symbol symbol, int first, int last)
    {
        var start = source.LineStart(first);
        var end = last < source.LineCount ? source.LineStart(last + 1) : source.Text.Length;
        var replacement = string.Empty;
        if (source.Language == "Python")
        {
            var indent = SourceText.Indentation(source.Line(first));
            var previous = PreviousCodeLine(source, first, symbol.StartLine);
            var next = NextCodeLine(source, last, symbol.EndLine);
            var opensBlock = previous is { } p && source.CodeLine(p).TrimEnd().EndsWith(':');
            var closesBlock = next is not { } n || SourceText.Indentation(source.Line(n)).Length < indent.Length;
            if (opensBlock && closesBlock)
            {
                replacement = indent + "pass\n";
            }
        }

        return new Edit(start, end - start, replacement);
    }

    private static int? NextCodeLine(SourceText source, int line, int limit)
    {
        for (var l = line + 1; l <= limit; l++)
        {
            if (source.CodeLine(l).Trim().Length > 0)
            {
                return l;
            }
        }

        return null;
    }

    private static int? PreviousCodeLine(SourceText source, int line, int limit)
    {
        for (var l = line - 1; l >= limit; l--)
        {
            if (source.CodeLine(l).Trim().Length > 0)
            {
                return l;
            }
        }

        return null;
    }

    internal static bool Balanced(string code)
    {
        var depth = 0;
        foreach (var c in code)
        {
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    [GeneratedRegex(@"^\s*(?:\}\s*else\s+)?(?:if|elif)\b\s*")]
    private static partial Regex IfStart();

    [GeneratedRegex(@"^(return\b|raise\b|throw\b|continue\b|break\b)")]
    private static partial Regex Exit();

    [GeneratedRegex(@"^(else|elif|\}\s*else)\b")]
    private static partial Regex ElseStart();

    [GeneratedRegex(@"\berr\b")]
    private static partial Regex ErrWord();
}
