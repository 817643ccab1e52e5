using System.Text;
using System.Text.RegularExpressions;

namespace Sparring.Testing;

public static partial class FailingTestsScript
{
    /// <summary>The lines around the runs of the detector's multi-project script, which narrowing leaves as they are.</summary>
    private static readonly HashSet<string> DotnetScaffolding = new(StringComparer.Ordinal) { "cd /tmp || exit 1", "rc=0", "exit $rc" };

    /// <summary>
    /// Options after which a <c>--filter</c> would mean something else or nothing: a filter already given, and
    /// Microsoft.Testing.Platform's command line (<c>--project</c>, <c>--report-trx</c>), whose filters differ by framework.
    /// </summary>
    private static readonly string[] DotnetRefused = ["--filter", "--project", "--solution", "--report-", "--list-tests", "--settings", " -s ", "--"];

    /// <summary>
    /// The detector's <c>dotnet test</c> scripts (one project, several in turn, run from /tmp) with
    /// <c>--filter 'FullyQualifiedName=…|…'</c> after each <c>dotnet test</c>; every other line must be one of the
    /// scaffolding lines it writes.
    /// </summary>
    private static string? Dotnet(List<string> lines, IReadOnlyList<string> ids)
    {
        if (DotnetFilter(ids) is not { } filter)
        {
            return null;
        }

        var narrowed = new StringBuilder("#!/bin/bash\n");
        var runs = 0;
        foreach (var line in lines)
        {
            var calls = DotnetTestCall().Matches(line);
            if (calls.Count == 0 && DotnetScaffolding.Contains(line))
            {
                narrowed.Append(line).Append('\n');
                continue;
            }

            // The options are looked for after the call: a project path may hold "--" in its name, not in its options.
            var after = calls.Count == 1 ? line[(calls[0].Index + calls[0].Length)..] : "";
            if (calls.Count != 1 || !after.Contains(" --logger ", StringComparison.Ordinal) || DotnetRefused.Any(o => OptionIn(after, o)))
            {
                return null;
            }

            var at = calls[0].Index + calls[0].Length;
            narrowed.Append(line[..at]).Append("--filter '").Append(filter).Append("' ").Append(line[at..]).Append('\n');
            runs++;
        }

        return runs > 0 ? narrowed.ToString() : null;
    }

    /// <summary>Whether <paramref name="option"/> starts a word of <paramref name="arguments"/> (<c>--</c> alone only as a whole word).</summary>
    private static bool OptionIn(string arguments, string option) => option switch
    {
        "--" => (" " + arguments + " ").Contains(" -- ", StringComparison.Ordinal),
        " -s " => (" " + arguments + " ").Contains(option, StringComparison.Ordinal),
        _ => (" " + arguments).Contains(" " + option, StringComparison.Ordinal),
    };

    /// <summary>
    /// A VSTest filter naming each test by its fully qualified name. TRX ids are <c>Namespace.Class.Method</c>, a
    /// theory row's with its arguments (<c>Method(x: 1)</c>) and a repeat's with <c> [#n]</c>: a row is asked for by its
    /// method, which runs every row of it (xUnit and MSTest name a row's test by its method, NUnit with the arguments,
    /// hence the <c>~Method\(</c>). An id with any other character (the filter's own <c>|&amp;=!~()\,</c>, spaces, a
    /// custom display name, generics) gives null.
    /// </summary>
    private static string? DotnetFilter(IReadOnlyList<string> ids)
    {
        var terms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var match = TrxTestId().Match(id);
            if (!match.Success)
            {
                return null;
            }

            var name = match.Groups["name"].Value;
            terms.Add($"FullyQualifiedName={name}");
            if (match.Groups["args"].Success)
            {
                terms.Add($@"FullyQualifiedName~{name}\(");
            }
        }

        return string.Join('|', terms);
    }

    /// <summary><c>dotnet test </c> as a command word: not part of a path or a longer name.</summary>
    [GeneratedRegex(@"(?<![\w./$\-])dotnet test ", RegexOptions.CultureInvariant)]
    private static partial Regex DotnetTestCall();

    /// <summary>A dotted name of plain identifiers (<c>+</c> for a nested class), then maybe arguments, then maybe a repeat number.</summary>
    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*(?:[.+][A-Za-z_][A-Za-z0-9_]*)+)(?<args> ?\(.*\))?(?: \[#[0-9]+\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex TrxTestId();
}
