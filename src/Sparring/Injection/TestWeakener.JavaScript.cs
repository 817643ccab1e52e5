using System.Text;
using System.Text.RegularExpressions;

namespace Sparring.Injection;

public sealed partial class TestWeakener
{
    /// <summary>
    /// <c>file &gt; describe &gt; … &gt; title</c>: the <c>it(…)</c>/<c>test(…)</c> call (or describe) found by walking the describe
    /// path. <c>title [#n]</c> (the parsers' name for the n-th test of a file with one full title) is the n-th such call in
    /// the file; when the file has fewer, the calls run in a loop and the last one found is it.
    /// </summary>
    private static (string Path, int Start, int End, string Name)? LocateJavaScript(string id, Func<string, string[]> read)
    {
        var parts = id.Split(" > ");
        var path = parts[0];
        var titles = parts[1..];
        var nth = 1;
        if (titles.Length > 0 && RepeatSuffix().Match(titles[^1]) is { Success: true } repeat)
        {
            titles[^1] = titles[^1][..repeat.Index];
            nth = int.Parse(repeat.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (titles.Length == 0)
        {
            return null;
        }

        var lines = read(path);
        var text = string.Join('\n', lines);
        var calls = FindCallChains(text, titles, 0, text.Length).Take(nth).ToList();
        if (calls.Count == 0 && titles.Length >= 2)
        {
            // node-tap reports each assertion (t.ok(…, 'message')) as a leaf under its test: the leaf is no call, so the
            // innermost enclosing test found goes; the same for a title no literal spells.
            for (var n = titles.Length - 1; n >= 1 && calls.Count == 0; n--)
            {
                calls = FindCallChains(text, titles[..n], 0, text.Length).Take(1).ToList();
            }
        }

        if (calls.Count == 0)
        {
            return null;
        }

        var end = calls[^1].End;
        if (end + 1 < text.Length && text[end + 1] == ';')
        {
            end++;
        }

        return (path, LineOf(text, calls[^1].Start), LineOf(text, end), titles[^1]);
    }

    /// <summary>Every call inside [from, to) titled <c>titles[0]</c> holding a chain for the rest, innermost call, in the file's order.</summary>
    private static IEnumerable<(int Start, int End)> FindCallChains(string text, string[] titles, int from, int to)
    {
        while (FindCall(text, titles[0], from, to) is { } call)
        {
            if (titles.Length == 1)
            {
                yield return call;
            }
            else
            {
                foreach (var inner in FindCallChains(text, titles[1..], call.Start + 1, call.End))
                {
                    yield return inner;
                }
            }

            from = call.End + 1;
        }
    }

    /// <summary>
    /// A test id that names no file (tape prints bare test names; mocha's TAP reporter prints the full title, the
    /// describe titles and the test's joined by single spaces): EVERY call in every JavaScript test file whose title,
    /// or chain of nested titles joined by spaces, is the id: a bare name takes all of them (the
    /// first of equal names is the bare one, but which file's is first is the runner's business); <c>name [#n]</c> (the
    /// parsers' name for the n-th block with one name) takes the n-th call found, files in name order.
    /// </summary>
    private static List<(string Path, int Start, int End, string Name)> LocateBareJavaScript(IEnumerable<string> files, string id, Func<string, string[]> read)
    {
        var nth = 0;
        if (RepeatSuffix().Match(id) is { Success: true } repeat)
        {
            nth = int.Parse(repeat.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            id = id[..repeat.Index];
        }

        var found = new List<(string Path, int Start, int End, string Name)>();
        foreach (var path in files.Order(StringComparer.Ordinal))
        {
            var text = string.Join('\n', read(path));
            foreach (var (start, end) in FindTitleChains(text, id, 0, text.Length, inChain: false))
            {
                var last = end + 1 < text.Length && text[end + 1] == ';' ? end + 1 : end;
                found.Add((path, LineOf(text, start), LineOf(text, last), id));
            }
        }

        // "name [#n]" is the n-th block with that name, files in name order (as a glob gives them to tape); when fewer are
        // found, all of them, as for a bare name.
        return nth > 0 && found.Count >= nth ? [found[nth - 1]] : found;
    }

    /// <summary>
    /// Calls inside [from, to) whose title is <paramref name="title"/>, or that open a chain of nested calls whose titles
    /// joined by spaces are it. Outside a chain any depth counts (tape's nested <c>t.test</c> prints its bare name);
    /// inside one only the calls directly in the parent do (another describe's body is skipped whole).
    /// </summary>
    private static IEnumerable<(int Start, int End)> FindTitleChains(string text, string title, int from, int to, bool inChain)
    {
        var at = from;
        while (at < to)
        {
            var match = TestCall().Match(text[..to], at);
            if (!match.Success)
            {
                yield break;
            }

            at = match.Index + match.Length;
            var literal = ReadString(text, match.Index + match.Length - 1);
            if (literal is null)
            {
                continue;
            }

            var open = text.IndexOf('(', match.Index);
            if (MatchClose(text, open) is not { } close || close >= to)
            {
                continue;
            }

            if (literal.Value.Value.Trim() == title.Trim())
            {
                yield return (match.Index, close);
                at = close + 1;
            }
            else if (title.StartsWith(literal.Value.Value + " ", StringComparison.Ordinal))
            {
                var inner = FindTitleChains(text, title[(literal.Value.Value.Length + 1)..], literal.Value.End + 1, close, inChain: true).ToList();
                foreach (var range in inner)
                {
                    yield return range;
                }

                if (inner.Count > 0 || inChain)
                {
                    at = close + 1;
                }
            }
            else if (inChain)
            {
                at = close + 1;
            }
        }
    }

    /// <summary>The first <c>describe/it/test(title, …)</c> call inside [from, to): from its name to its closing parenthesis.</summary>
    private static (int Start, int End)? FindCall(string text, string title, int from, int to)
    {
        foreach (Match match in TestCall().Matches(text[..to], from))
        {
            var literal = ReadString(text, match.Index + match.Length - 1);
            // Test ids are trimmed (TestResultCollector), titles need not be: 'allOf: combine additional properties '.
            if (literal is null ? !TemplateMatches(text, match.Index + match.Length - 1, title) : literal.Value.Value.Trim() != title.Trim())
            {
                continue;
            }

            var open = text.IndexOf('(', match.Index);
            var close = MatchClose(text, open);
            if (close is not null && close.Value < to)
            {
                return (match.Index, close.Value);
            }
        }

        return null;
    }

    /// <summary>A JavaScript string literal starting at the quote at <paramref name="at"/>: its value (escapes read) and end.</summary>
    private static (string Value, int End)? ReadString(string text, int at)
    {
        var quote = text[at];
        var value = new StringBuilder();
        for (var i = at + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                value.Append(text[++i] switch { 'n' => '\n', 't' => '\t', var other => other });
            }
            else if (c == quote)
            {
                return (value.ToString(), i);
            }
            else if (c == '$' && quote == '`' && i + 1 < text.Length && text[i + 1] == '{')
            {
                return null;
            }
            else
            {
                value.Append(c);
            }
        }

        return null;
    }

    /// <summary>
    /// True when the template literal at <paramref name="at"/> (<c>`when ${a} then ${b}`</c>, a title made in a loop) can
    /// print <paramref name="title"/>: its text parts in order, each <c>${…}</c> standing for anything.
    /// </summary>
    private static bool TemplateMatches(string text, int at, string title)
    {
        if (text[at] != '`')
        {
            return false;
        }

        var pattern = new StringBuilder("^");
        for (var i = at + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '`')
            {
                var regex = pattern.Append('$').ToString();
                return regex != "^$" && Regex.IsMatch(title.Trim(), regex, RegexOptions.Singleline, TimeSpan.FromSeconds(1));
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                pattern.Append(Regex.Escape(text[++i] switch { 'n' => "\n", 't' => "\t", var other => other.ToString() }));
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                if (MatchClose(text, i + 1) is not { } close)
                {
                    return false;
                }

                pattern.Append(".*?");
                i = close;
            }
            else
            {
                pattern.Append(Regex.Escape(c.ToString()));
            }
        }

        return false;
    }

    /// <summary>The index of the bracket closing the one at <paramref name="open"/>, skipping strings and comments (a heuristic: regex literals are not read).</summary>
    private static int? MatchClose(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                var quote = c;
                for (i++; i < text.Length && text[i] != quote; i++)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i = text.IndexOf('\n', i) is var nl && nl < 0 ? text.Length : nl;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                i = text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close && close < 0 ? text.Length : close + 1;
            }
            else if (c is '(' or '{' or '[')
            {
                depth++;
            }
            else if (c is ')' or '}' or ']' && --depth == 0)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>The 1-based line closing the first brace opened on or after the 0-based line <paramref name="index"/>.</summary>
    private static int? BraceEnd(string[] lines, int index)
    {
        var text = string.Join('\n', lines);
        var offset = lines.Take(index).Sum(l => l.Length + 1);
        var open = text.IndexOf('{', offset);
        return open < 0 || MatchClose(text, open) is not { } close ? null : LineOf(text, close);
    }

    private static int LineOf(string text, int offset) => 1 + text.AsSpan(0, offset).Count('\n');

    // The suffix TestResultCollector gives the n-th test with one id (n ≥ 2).
    [GeneratedRegex(@" \[#([2-9]|[1-9][0-9]+)\]$")]
    private static partial Regex RepeatSuffix();

    // A plain call (describe/it/test…) or tape's nested t.test(…) on a test object (one identifier before the dot).
    [GeneratedRegex(@"(?<![\w.$])(?:[A-Za-z_$][\w$]*\.)?(?:describe|suite|context|it|test|specify)(?:\.(?:only|skip|todo))?\s*\(\s*['""`]")]
    private static partial Regex TestCall();
}
