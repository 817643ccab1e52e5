using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>
/// C#: non-void methods return <c>default!</c> (tasks a completed task), void methods get an empty body,
/// <c>out</c> parameters are assigned. Constructors, iterators and <c>ref</c> returns are left alone.
/// </summary>
internal static partial class CSharpStub
{
    private static readonly HashSet<string> Modifiers = new(StringComparer.Ordinal)
    {
        "public", "private", "protected", "internal", "static", "virtual", "override", "sealed", "new", "unsafe",
        "extern", "partial", "readonly", "async", "abstract", "file", "required",
    };

    public static Edit? Stub(SourceText source, Symbol symbol)
    {
        if (Stubs.IsConstructor(symbol))
        {
            return null;
        }

        var declaration = source.CodeLine(symbol.StartLine);
        var nameAt = Regex.Match(declaration, @"\b" + Regex.Escape(symbol.Name) + @"\s*(<[^()]*>)?\s*\(", RegexOptions.None, TimeSpan.FromSeconds(1));
        if (!nameAt.Success)
        {
            return null;
        }

        var words = Attributes().Replace(declaration[..nameAt.Index], " ").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var isAsync = words.Contains("async");
        var returnType = string.Join(" ", words.SkipWhile(Modifiers.Contains));
        if (returnType.Length == 0 || returnType.StartsWith("ref", StringComparison.Ordinal) || returnType.Contains("operator", StringComparison.Ordinal)
            || returnType.Contains("implicit", StringComparison.Ordinal) || returnType.Contains("explicit", StringComparison.Ordinal))
        {
            return null;
        }

        var parenOpen = source.LineStart(symbol.StartLine) + nameAt.Index + nameAt.Length - 1;
        var parenClose = source.MatchBracket(parenOpen);
        if (parenClose < 0 || Enumerable.Range(symbol.StartLine, symbol.LineCount).Any(l => Yield().IsMatch(source.CodeLine(l))))
        {
            return null;
        }

        var statements = OutAssignments(source.Text[(parenOpen + 1)..parenClose]);
        var result = ReturnStatement(returnType, isAsync);
        if (result is null)
        {
            return null;
        }

        var open = Stubs.FindBodyBrace(source, symbol, stopAtArrowOrSemicolon: true);
        if (open >= 0)
        {
            statements.AddRange(result);
            return Stubs.BlockBody(source, open, statements);
        }

        return ExpressionBody(source, parenClose, returnType, isAsync, statements);
    }

    /// <summary>The statements that end a stub, or null when unsure.</summary>
    private static List<string>? ReturnStatement(string type, bool isAsync)
    {
        var plain = type.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal) ? type["System.Threading.Tasks.".Length..] : type;
        var isTask = plain is "Task" or "ValueTask";
        var isGenericTask = plain.StartsWith("Task<", StringComparison.Ordinal) || plain.StartsWith("ValueTask<", StringComparison.Ordinal);
        if (isAsync)
        {
            // An async body without await is a warning (CS1998), which some repositories treat as an error.
            return type == "void" || isTask ? ["await System.Threading.Tasks.Task.CompletedTask;"]
                : isGenericTask ? ["await System.Threading.Tasks.Task.CompletedTask;", "return default!;"]
                : null;
        }

        return type == "void" ? []
            : plain == "Task" ? ["return System.Threading.Tasks.Task.CompletedTask;"]
            : plain.StartsWith("Task<", StringComparison.Ordinal) ? [$"return System.Threading.Tasks.Task.FromResult<{plain[5..^1]}>(default!);"]
            : ["return default!;"];
    }

    private static Edit? ExpressionBody(SourceText source, int parenClose, string returnType, bool isAsync, List<string> outs)
    {
        var arrow = source.Text.IndexOf("=>", parenClose, StringComparison.Ordinal);
        if (arrow < 0 || outs.Count > 0 || isAsync || returnType is "void" || returnType.Contains("Task", StringComparison.Ordinal))
        {
            return null;
        }

        var depth = 0;
        for (var i = arrow + 2; i < source.Text.Length; i++)
        {
            if (!source.Code[i])
            {
                continue;
            }

            var c = source.Text[i];
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth == 0 && c == ';')
            {
                return source.LineOf(i) - source.LineOf(arrow) < 1 ? null : new Edit(arrow, i - arrow, "=> default!");
            }
        }

        return null;
    }

    private static List<string> OutAssignments(string parameters)
    {
        var statements = new List<string>();
        foreach (var parameter in GoStub.SplitTopLevel(Attributes().Replace(parameters, " ")))
        {
            var words = parameter.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 3 && words[0] == "out")
            {
                var name = words[^1];
                statements.Add($"{name} = default!;");
            }
        }

        return statements;
    }

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Attributes();

    [GeneratedRegex(@"\byield\s+(return|break)\b")]
    private static partial Regex Yield();
}
