using System.Text.RegularExpressions;

namespace Sparring.Testing.Detection;

/// <summary>
/// Reads what a Python repository says about running its tests before anything is guessed: the first pytest command in
/// tox's default test environment, then in the GitHub Actions workflows' <c>run:</c> steps (files in name order), then in
/// noxfile.py's <c>session.run(...)</c> calls, then in the Makefile's <c>test:</c> recipe.
/// </summary>
/// <remarks>
/// A source whose commands run no pytest (nose, <c>python -m unittest</c>, <c>tox</c> itself) is passed over, and so is a
/// benchmark-only command (<c>--codspeed</c>, <c>--benchmark-only</c>). What is kept of the command is decided by
/// <see cref="PytestArguments.Filter"/>.
/// </remarks>
internal static partial class PytestInvocationReader
{
    /// <summary>The repository's own pytest command, or null when none of the sources has one.</summary>
    /// <param name="tree">The repository.</param>
    /// <param name="sourceRoots">Where its packages are imported from (<c>src</c>), for tox's site-packages paths.</param>
    public static PytestInvocation? Find(string tree, IReadOnlyList<string> sourceRoots)
    {
        var packageRoots = sourceRoots.Append("").ToList();
        foreach (var (source, directory, lines) in Scripts(tree))
        {
            if (PytestArguments.FindInScript(lines, directory) is not { } found || PytestArguments.IsBenchmark(found.Words))
            {
                continue;
            }

            var (kept, hasPaths) = PytestArguments.Filter(found.Words, found.Directory, tree, packageRoots);
            return new PytestInvocation { Source = source, Arguments = kept, HasPaths = hasPaths };
        }

        return null;
    }

    private static IEnumerable<(string Source, string Directory, List<string> Lines)> Scripts(string tree)
    {
        if (ToxConfig.Read(tree) is { } tox)
        {
            yield return (tox.Source + " commands", tox.ChangeDir, tox.Commands);
        }

        foreach (var step in WorkflowRunSteps.ReadAll(tree))
        {
            yield return step;
        }

        foreach (Match call in NoxRun().Matches(TreeScan.Read(tree, "noxfile.py")))
        {
            // Only literal arguments: *session.posargs and variables are the caller's.
            var words = Literal().Matches(call.Groups["args"].Value).Select(m => TreeScan.Quote(m.Groups["text"].Value));
            yield return ("noxfile.py", "", [string.Join(' ', words)]);
        }

        foreach (var name in new[] { "GNUmakefile", "makefile", "Makefile" })
        {
            if (MakeTestTarget().Match(TreeScan.Read(tree, name)) is { Success: true } target)
            {
                var recipe = target.Groups["recipe"].Value.Split('\n').Select(l => l.Trim().TrimStart('@', '-', '+')).ToList();
                yield return (name + " test target", "", recipe);
                break;
            }
        }
    }

    [GeneratedRegex(@"session\.run\((?<args>[^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex NoxRun();

    [GeneratedRegex(@"(?<![\w])(?<q>['""])(?<text>(?:(?!\k<q>)[^\n\\])*)\k<q>")]
    private static partial Regex Literal();

    [GeneratedRegex(@"^tests?\s*:(?![=:])[^\n]*\n(?<recipe>(\t[^\n]*(\n|$))+)", RegexOptions.Multiline)]
    private static partial Regex MakeTestTarget();
}
