using System.Globalization;
using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>
/// SWE-smith-style modifiers, line and token based on code characters only (never inside strings or
/// comments): flip a comparison, arithmetic or boolean operator, shift an integer constant by one, invert an
/// if condition, remove an assignment, an early-exit guard or a loop's break/continue, swap two dependent statements.
/// </summary>
internal static partial class Mutators
{
    private static readonly Dictionary<string, string> Comparisons = new(StringComparer.Ordinal)
    {
        ["<"] = "<=", ["<="] = "<", [">"] = ">=", [">="] = ">", ["=="] = "!=", ["!="] = "==", ["==="] = "!==", ["!=="] = "===",
    };

    private static readonly Dictionary<string, string> Arithmetic = new(StringComparer.Ordinal)
    {
        ["+"] = "-", ["-"] = "+", ["*"] = "/", ["/"] = "*", ["+="] = "-=", ["-="] = "+=",
    };

    /// <summary>True for functions worth mutating: at least two branches or loops, or at least eight lines.</summary>
    public static bool IsComplexEnough(SourceText source, Symbol symbol) =>
        symbol.LineCount >= 8 || BodyLines(symbol).Count(l => Branch().IsMatch(source.CodeLine(l))) >= 2;

    public static IEnumerable<Mutation> Find(SourceText source, Symbol symbol)
    {
        foreach (var line in BodyLines(symbol))
        {
            var code = source.CodeLine(line);
            if (code.Trim().Length == 0)
            {
                continue;
            }

            foreach (var mutation in Operators(source, symbol, line, code).Concat(Constants(source, symbol, line, code)).Concat(Statements(source, symbol, line, code)))
            {
                yield return mutation;
            }
        }
    }

    private static IEnumerable<int> BodyLines(Symbol symbol) => Enumerable.Range(symbol.StartLine + 1, Math.Max(0, symbol.EndLine - symbol.StartLine));

    private static IEnumerable<Mutation> Operators(SourceText source, Symbol symbol, int line, string code)
    {
        var start = source.LineStart(line);
        var where = Where(symbol, line);
        foreach (Match match in ComparisonOperator().Matches(code))
        {
            var op = match.Groups[1].Value;
            if (source.Language == "Python" && op is "===" or "!==")
            {
                continue;
            }

            yield return new Mutation(symbol, "flip-comparison", new Edit(start + match.Groups[1].Index, op.Length, Comparisons[op]), $"changed '{op}' to '{Comparisons[op]}' in {where}");
        }

        // + and - on strings would not build (Go, C#) or would throw (Python): skip lines with string literals.
        if (!source.HasNonCode(line))
        {
            foreach (Match match in ArithmeticOperator().Matches(code))
            {
                var op = match.Groups[1].Value;
                yield return new Mutation(symbol, "swap-arithmetic", new Edit(start + match.Groups[1].Index, op.Length, Arithmetic[op]), $"changed '{op}' to '{Arithmetic[op]}' in {where}");
            }
        }

        var (and, or) = source.Language == "Python" ? (" and ", " or ") : (" && ", " || ");
        foreach (var (from, to) in new[] { (and, or), (or, and) })
        {
            for (var at = code.IndexOf(from, StringComparison.Ordinal); at >= 0; at = code.IndexOf(from, at + 1, StringComparison.Ordinal))
            {
                yield return new Mutation(symbol, "swap-boolean", new Edit(start + at, from.Length, to), $"changed '{from.Trim()}' to '{to.Trim()}' in {where}");
            }
        }
    }

    private static IEnumerable<Mutation> Constants(SourceText source, Symbol symbol, int line, string code)
    {
        var start = source.LineStart(line);
        foreach (Match match in Integer().Matches(code))
        {
            if (!long.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 1_000_000)
            {
                continue;
            }

            var changed = (value == 0 ? 1 : value + (source.Text[start + match.Index] % 2 == 0 ? 1 : -1)).ToString(CultureInfo.InvariantCulture);
            yield return new Mutation(symbol, "change-constant", new Edit(start + match.Index, match.Length, changed), $"changed the constant {match.Value} to {changed} in {Where(symbol, line)}");
        }
    }

    internal static string Where(Symbol symbol, int line) =>
        string.Create(CultureInfo.InvariantCulture, $"{symbol.Path}:{InjectionScope.Qualified(symbol)} (line {line})");

    [GeneratedRegex(@"\b(if|elif|for|while|switch|case|catch|except)\b")]
    private static partial Regex Branch();

    [GeneratedRegex(@"(?<=[\w)\]] )(<=|>=|===|!==|==|!=|<|>)(?= [\w(\[!-])")]
    private static partial Regex ComparisonOperator();

    [GeneratedRegex(@"(?<=[\w)\]] )(\+=|-=|\+|-|\*|/)(?= [\w(\[])")]
    private static partial Regex ArithmeticOperator();

    [GeneratedRegex(@"(?<![\w.$])\d+(?![\w.])")]
    private static partial Regex Integer();
}
