using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection.Code;

internal static partial class Mutators
{
    /// <summary>A complete one-line statement that is not a block opener, closer or exit.</summary>
    private static bool IsSimpleStatement(SourceText source, string trimmed)
    {
        if (trimmed.Length == 0 || !Balanced(trimmed) || Keyword().IsMatch(trimmed) || trimmed.EndsWith('{') || trimmed.EndsWith(':')
            || trimmed.StartsWith('}') || trimmed.EndsWith('\\') || trimmed.EndsWith(',') || trimmed.StartsWith('.') || trimmed.StartsWith('@'))
        {
            return false;
        }

        return source.Language is "Python" or "Go" || trimmed.EndsWith(';');
    }

    /// <summary>The variable a reassignment (not a declaration) writes, or null.</summary>
    private static string? AssignmentTarget(SourceText source, Symbol symbol, int line, string trimmed)
    {
        var match = Assignment().Match(trimmed);
        if (!match.Success)
        {
            return null;
        }

        var target = match.Groups["target"].Value;
        if (source.Language is "JavaScript" or "TypeScript" && target is "const" or "let" or "var")
        {
            return null;
        }

        // A bare Python name assigned for the first time is a declaration: removing it is a NameError, not a bug.
        if (source.Language == "Python" && match.Groups["op"].Value.Length == 0 && !target.Contains('.', StringComparison.Ordinal) && !target.Contains('[', StringComparison.Ordinal))
        {
            var assignedBefore = new Regex(@"^\s*" + Regex.Escape(target) + @"\s*=[^=]|\bfor\s+" + Regex.Escape(target) + @"\b|[,(]\s*" + Regex.Escape(target) + @"\b[^=]*=[^=]|\b" + Regex.Escape(target) + @"\s*,[^=]*=[^=]", RegexOptions.None, TimeSpan.FromSeconds(1));
            var earlier = Enumerable.Range(symbol.StartLine + 1, Math.Max(0, line - symbol.StartLine - 1)).Any(l => assignedBefore.IsMatch(source.CodeLine(l)));
            return earlier ? target : null;
        }

        return target;
    }

    /// <summary>Swaps this line and the next when both are simple non-declaring statements and one writes what the other reads.</summary>
    private static Edit? Swap(SourceText source, Symbol symbol, int line)
    {
        var first = source.CodeLine(line);
        var second = source.CodeLine(line + 1);
        if (SourceText.Indentation(first) != SourceText.Indentation(second) || line + 1 >= symbol.EndLine && source.Language != "Python")
        {
            return null;
        }

        if (!IsSimpleStatement(source, first.Trim()) || !IsSimpleStatement(source, second.Trim()) || Declaration().IsMatch(first.Trim()) || Declaration().IsMatch(second.Trim()))
        {
            return null;
        }

        if (line + 2 <= source.LineCount && source.CodeLine(line + 2).TrimStart().StartsWith('.'))
        {
            return null;
        }

        var a = AssignmentTarget(source, symbol, line, first.Trim());
        var b = AssignmentTarget(source, symbol, line + 1, second.Trim());
        var dependent = a is not null && Reads(second, a) || b is not null && Reads(first, b);
        if (!dependent || a is null && Assignment().IsMatch(first.Trim()) || b is null && Assignment().IsMatch(second.Trim()))
        {
            return null;
        }

        var start = source.LineStart(line);
        var end = source.LineEnd(line + 1);
        return new Edit(start, end - start, source.Line(line + 1) + "\n" + source.Line(line));
    }

    private static bool Reads(string code, string target)
    {
        var name = target.Split('[', '.')[0];
        return Regex.IsMatch(code, @"\b" + Regex.Escape(name) + @"\b", RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"^(?<target>(this\.|self\.)?[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\[[^\]=]*\])?)\s*(?<op>[-+*/%|&]|\?\?)?=(?!=)\s*\S")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^(return|if|elif|else|for|while|switch|case|default|break|continue|yield|throw|raise|try|catch|finally|except|with|def|class|func|function|import|from|using|go|defer|select|do|await|async)\b")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"(:=|^(const|let|var)\b|^[A-Za-z_][\w<>\[\],.?]*\s+[A-Za-z_]\w*\s*(=|;))")]
    private static partial Regex Declaration();
}
