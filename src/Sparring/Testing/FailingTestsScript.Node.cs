using System.Buffers;
using System.Text.RegularExpressions;

namespace Sparring.Testing;

public static partial class FailingTestsScript
{
    private static readonly SearchValues<char> QuotesAndGroups = SearchValues.Create("'\"\\()");

    /// <summary>Options that already choose which tests run (in either form, <c>--option value</c> or <c>--option=value</c>).</summary>
    private static readonly string[] SelectingOptions =
        ["--runTestsByPath", "--testPathPattern", "--testPathPatterns", "--testNamePattern", "-t", "--findRelatedTests", "--onlyChanged", "-o",
         "--changedSince", "--shard", "--selectProjects", "--project"];

    /// <summary>
    /// <c>node --test [--option=value…] [paths…]</c> becomes the same options over the failing tests' files: an id is
    /// <c>file &gt; suite &gt; test</c>, its file relative to the working directory. By file, not by name: node's
    /// <c>--test-name-pattern</c> matches a test's own name in some versions and its ancestors' in others, and a suite
    /// whose name matches runs whole.
    /// </summary>
    private static string? NodeTest(string line, IReadOnlyList<string> ids)
    {
        // Quotes would make splitting on spaces wrong; an option without '=' may take the next word as its value.
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[0] != "node" || !words.Contains("--test") || line.IndexOfAny(['\'', '"', '\\']) >= 0)
        {
            return null;
        }

        var firstPath = Array.FindIndex(words, 1, w => !w.StartsWith('-')) is var at and >= 0 ? at : words.Length;
        if (words[1..firstPath].Any(w => w != "--test" && !w.Contains('=', StringComparison.Ordinal)) || words[firstPath..].Any(w => w.StartsWith('-')))
        {
            return null;
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var file = id.Split(" > ")[0];
            if (!RelativeFile().IsMatch(file) || file.Split('/').Any(s => s is "." or ".."))
            {
                return null;
            }

            files.Add(file);
        }

        return "#!/bin/bash\n" + string.Join(' ', words[..firstPath]) + " " + string.Join(' ', files) + "\n";
    }

    /// <summary>
    /// The detector's jest or vitest line over the failing tests' files: <c>jest … --runTestsByPath FILE…</c>, or
    /// <c>vitest run … FILE…</c> (vitest's file filters add to those the line already has, so the run may be larger).
    /// An id is <c>file &gt; describe… &gt; title</c>, its file absolute as both runners report it, or relative. The
    /// runner's part of the line must be plain words; a pretest build before it (<c>(…); jest …</c>) is kept.
    /// </summary>
    private static string? JestOrVitest(string line, IReadOnlyList<string> ids)
    {
        var jest = line.LastIndexOf("node_modules/.bin/jest ", StringComparison.Ordinal);
        var vitest = line.LastIndexOf("node_modules/.bin/vitest run", StringComparison.Ordinal);
        var at = Math.Max(jest, vitest);
        if (at < 0 || (at > 0 && !line[..at].EndsWith("; ", StringComparison.Ordinal)))
        {
            return null;
        }

        var runner = line[at..];
        if (runner.AsSpan().IndexOfAny(ShellSyntax) >= 0 || runner.AsSpan().IndexOfAny(QuotesAndGroups) >= 0
            || runner.Split(' ').Any(w => SelectingOptions.Any(option => w == option || w.StartsWith(option + "=", StringComparison.Ordinal))))
        {
            return null;
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var file = id.Split(" > ")[0];
            var relative = file.StartsWith('/') ? file[1..] : file;
            if (!RelativeFile().IsMatch(relative) || relative.Split('/').Any(s => s is "." or ".."))
            {
                return null;
            }

            files.Add(file);
        }

        var narrowing = jest > vitest ? " --runTestsByPath " : " ";
        return "#!/bin/bash\n" + line + narrowing + string.Join(' ', files) + "\n";
    }

    /// <summary>A relative path of plain characters, not an option.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_@+][A-Za-z0-9._@+\-]*(/[A-Za-z0-9._@+\-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeFile();
}
