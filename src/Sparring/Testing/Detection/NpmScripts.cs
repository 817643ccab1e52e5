using System.Text;

namespace Sparring.Testing.Detection;

/// <summary>
/// Finds where package.json's <c>scripts</c> invoke a test framework, following <c>npm run X</c>,
/// <c>npm run-script X</c>, <c>npm test</c>, <c>yarn X</c>, <c>pnpm X</c> and <c>run-s</c>/<c>npm-run-all</c>
/// references (to a bounded depth, never around a cycle). Commands are split on <c>&amp;&amp;</c>, <c>||</c>,
/// <c>;</c> and <c>|</c>; wrappers such as <c>nyc</c>, <c>c8</c>, <c>cross-env VAR=x</c> or <c>npx</c> are skipped
/// because the framework is looked for anywhere in a command, not only at its start.
/// </summary>
internal static class NpmScripts
{
    private const int MaxDepth = 6;

    private static readonly HashSet<string> PackageManagers = new(StringComparer.Ordinal) { "npm", "yarn", "pnpm" };

    /// <summary>
    /// The words after <paramref name="isProgram"/>'s first invocation reached from the <c>test</c> script, or
    /// null when no script reaches it. Words keep their quotes, so they can be pasted into a bash command.
    /// </summary>
    /// <param name="scripts">package.json's scripts by name.</param>
    /// <param name="isProgram">Whether the words of a command from a given index start the framework; returns how many words the program takes (e.g. 2 for <c>node --test</c>), or 0.</param>
    public static IReadOnlyList<string>? FindInvocation(IReadOnlyDictionary<string, string> scripts, Func<IReadOnlyList<string>, int, int> isProgram)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        return scripts.TryGetValue("test", out var test)
            ? Search(scripts, test, isProgram, new HashSet<string>(StringComparer.Ordinal) { "test" }, 0)
            : null;
    }

    /// <summary>True when <paramref name="word"/> runs <paramref name="program"/> (<c>mocha</c>, <c>./node_modules/.bin/mocha</c>, <c>"mocha"</c>).</summary>
    public static bool Names(string word, string program)
    {
        var bare = Unquote(word);
        var slash = bare.LastIndexOf('/');
        return string.Equals(slash >= 0 ? bare[(slash + 1)..] : bare, program, StringComparison.Ordinal);
    }

    /// <summary>A word without its shell quotes.</summary>
    public static string Unquote(string word)
    {
        var text = new StringBuilder(word.Length);
        var quote = '\0';
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (quote == '\0' && c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = '\0';
            }
            else if (c == '\\' && quote != '\'' && i + 1 < word.Length)
            {
                text.Append(word[++i]);
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>Splits a command line into simple commands (on <c>&amp;&amp; || ; |</c> and newlines outside quotes), each a list of raw words.</summary>
    public static List<List<string>> Commands(string script)
    {
        var commands = new List<List<string>>();
        var words = new List<string>();
        var word = new StringBuilder();
        var quote = '\0';

        void EndWord()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        void EndCommand()
        {
            EndWord();
            if (words.Count > 0)
            {
                commands.Add(words);
                words = [];
            }
        }

        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (quote != '\0')
            {
                word.Append(c);
                if (c == '\\' && quote == '"' && i + 1 < script.Length)
                {
                    word.Append(script[++i]);
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                word.Append(c);
            }
            else if (c == '\\' && i + 1 < script.Length)
            {
                word.Append(c).Append(script[++i]);
            }
            else if (c is ';' or '|' or '&' or '\n' or '(' or ')')
            {
                EndCommand();
            }
            else if (char.IsWhiteSpace(c))
            {
                EndWord();
            }
            else
            {
                word.Append(c);
            }
        }

        EndCommand();
        return commands;
    }

    private static List<string>? Search(IReadOnlyDictionary<string, string> scripts, string script, Func<IReadOnlyList<string>, int, int> isProgram, HashSet<string> visiting, int depth)
    {
        foreach (var words in Commands(script))
        {
            for (var i = 0; i < words.Count; i++)
            {
                var length = isProgram(words, i);
                if (length > 0)
                {
                    return words.Skip(i + length).ToList();
                }

                if (depth >= MaxDepth)
                {
                    continue;
                }

                var (references, extra) = References(words, i, scripts);
                if (references.Count == 0)
                {
                    continue;
                }

                foreach (var name in references)
                {
                    if (!visiting.Add(name))
                    {
                        continue;
                    }

                    var found = Search(scripts, scripts[name] + (extra.Length > 0 ? " " + extra : ""), isProgram, visiting, depth + 1);
                    visiting.Remove(name);
                    if (found is not null)
                    {
                        return found;
                    }
                }

                break;
            }
        }

        return null;
    }

    /// <summary>The scripts (in package.json's order for a run-s pattern) that the command at <paramref name="i"/> runs, if it is a package-manager or run-s reference, and the arguments it passes on after <c>--</c>.</summary>
    private static (List<string> Names, string Extra) References(List<string> words, int i, IReadOnlyDictionary<string, string> scripts)
    {
        var program = Unquote(words[i]);
        var rest = words.Skip(i + 1).ToList();
        var dashes = rest.IndexOf("--");
        var extra = dashes >= 0 ? string.Join(' ', rest.Skip(dashes + 1)) : "";
        var arguments = (dashes >= 0 ? rest.Take(dashes) : rest).Select(Unquote).ToList();
        if (PackageManagers.Contains(program))
        {
            var positional = arguments.Where(a => !a.StartsWith('-')).ToList();
            if (positional.Count == 0)
            {
                return ([], "");
            }

            var name = positional[0] switch
            {
                "test" or "t" or "tst" => "test",
                "run" or "run-script" or "rum" or "urn" => positional.Count > 1 ? positional[1] : "",
                var other => program == "npm" ? "" : other,
            };
            return scripts.ContainsKey(name) ? ([name], extra) : ([], "");
        }

        if (program is "run-s" or "run-p" or "npm-run-all")
        {
            var names = arguments.Where(a => !a.StartsWith('-'))
                .SelectMany(pattern => scripts.Keys.Where(k => Matches(k, pattern)))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return (names, extra);
        }

        return ([], "");
    }

    /// <summary>npm-run-all's patterns: <c>*</c> matches within a <c>:</c>-separated part, <c>**</c> across parts.</summary>
    private static bool Matches(string name, string pattern)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(name, pattern, StringComparison.Ordinal);
        }

        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^:]*", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(name, regex, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
