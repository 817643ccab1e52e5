using Sparring.Repos;

namespace Sparring.Injection;

/// <summary>
/// Writes a <c>test_weaken.diff</c> that DELETES the given tests (never comments them out), language-aware:
/// Python <c>def test_…</c> with its decorators, Go <c>func TestX</c>, JavaScript <c>it(…)</c>/<c>test(…)</c>
/// calls found by their describe path, C# methods with their attributes. Ids are those of the built-in
/// parsers: pytest node ids, <c>import/path/TestName[/sub]</c>, <c>file &gt; suite &gt; name</c>, TRX <c>Ns.Class.Method(args)</c>.
/// </summary>
/// <remarks>
/// A parametrised case deletes the whole function, a Go subtest the whole top-level test. Go imports left
/// unused by a deletion are removed (the package would not compile otherwise). Python classes left empty
/// are not repaired. Stateless; safe to share between threads.
/// </remarks>
public sealed partial class TestWeakener
{
    private readonly ISymbolIndex _symbols;

    public TestWeakener(ISymbolIndex? symbols = null) => _symbols = symbols ?? new CtagsSymbolIndex();

    /// <param name="tree">The original tree (the diff is relative to it).</param>
    /// <param name="testFiles">The repository's test files, relative paths; only these are ever edited.</param>
    /// <param name="failingTests">The test ids to delete.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<TestWeakening> WeakenAsync(string tree, IReadOnlyList<string> testFiles, IReadOnlyList<string> failingTests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(testFiles);
        ArgumentNullException.ThrowIfNull(failingTests);
        var tests = testFiles.ToHashSet(StringComparer.Ordinal);
        var files = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var ranges = new Dictionary<string, List<(int Start, int End, string Name)>>(StringComparer.Ordinal);
        var unresolved = new List<string>();
        var symbols = await _symbols.FindAsync(tree, testFiles.Where(f => CtagsSymbolIndex.LanguageOf(f) is "Python" or "Go" or "C#").ToList(), cancellationToken).ConfigureAwait(false);
        var module = GoModule(tree);
        foreach (var id in failingTests.Distinct(StringComparer.Ordinal))
        {
            Func<string, string[]> read = path => Lines(files, tree, path);
            List<(string Path, int Start, int End, string Name)> found = Locate(tree, tests, symbols, module, id, read) is { } one
                ? [one]
                : LocateBareJavaScript(tests.Where(IsJavaScript).Order(StringComparer.Ordinal), id, read);
            if (found.Count == 0)
            {
                unresolved.Add(id);
                continue;
            }

            foreach (var (path, start, end, name) in found)
            {
                if (!ranges.TryGetValue(path, out var list))
                {
                    ranges[path] = list = [];
                }

                list.Add((start, end, name));
            }
        }

        var deleted = new List<string>();
        var edited = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, list) in ranges.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var lines = files[path];
            var keep = Enumerable.Repeat(true, lines.Length).ToArray();
            foreach (var (start, end, name) in list.Distinct().OrderBy(r => r.Start))
            {
                var (from, to) = WithBlankLines(lines, start, end);
                for (var i = from; i <= to; i++)
                {
                    keep[i - 1] = false;
                }

                deleted.Add($"{path}:{start} {name}");
            }

            var kept = lines.Where((_, i) => keep[i]).ToList();
            if (path.EndsWith(".go", StringComparison.Ordinal))
            {
                kept = RemoveUnusedGoImports(kept);
            }

            edited[path] = string.Concat(kept.Select(l => l + "\n"));
        }

        var diff = edited.Count == 0 ? "" : await DiffAsync(tree, edited, cancellationToken).ConfigureAwait(false);
        return new TestWeakening { Diff = diff, Deleted = deleted.Distinct(StringComparer.Ordinal).ToList(), Unresolved = unresolved };
    }

    /// <summary>The test an id names: its file and the 1-based inclusive lines to delete.</summary>
    private static (string Path, int Start, int End, string Name)? Locate(
        string tree, HashSet<string> tests, IReadOnlyList<Symbol> symbols, string? goModule, string id, Func<string, string[]> lines)
    {
        if (id.Contains("::", StringComparison.Ordinal) && tests.Contains(id[..id.IndexOf("::", StringComparison.Ordinal)]))
        {
            return LocatePython(id, symbols, lines);
        }

        if (id.Contains(" > ", StringComparison.Ordinal) && id.IndexOf(" > ", StringComparison.Ordinal) is var separator
            && (tests.Contains(id[..separator]) ? id[..separator] : CompiledFrom(tests, id[..separator])) is { } file)
        {
            return LocateJavaScript(file + id[separator..], lines);
        }

        if (goModule is not null && id.StartsWith(goModule, StringComparison.Ordinal))
        {
            return LocateGo(tree, tests, symbols, goModule, id, lines);
        }

        if (tests.Any(t => t.EndsWith(".cs", StringComparison.Ordinal)))
        {
            return LocateCSharp(tests, symbols, id, lines);
        }

        // tape and mocha's TAP reporter print no file: see LocateBareJavaScript.
        return null;
    }

    /// <summary>
    /// The test source a compiled test file was built from, when the tests run a build's output
    /// (<c>dist-node/test/v4.test.js</c> from <c>src/test/v4.test.ts</c>): the one test file whose path, extension
    /// left out, ends with the compiled path less its leading folders; null when none or several do.
    /// </summary>
    private static string? CompiledFrom(HashSet<string> tests, string compiled)
    {
        var segments = WithoutExtension(compiled).Split('/');
        for (var skip = 1; skip < segments.Length; skip++)
        {
            var rest = string.Join('/', segments[skip..]);
            var matches = tests.Where(t => IsJavaScript(t) && WithoutExtension(t) is var bare && (bare == rest || bare.EndsWith("/" + rest, StringComparison.Ordinal))).Take(2).ToList();
            if (matches.Count > 0)
            {
                return matches.Count == 1 ? matches[0] : null;
            }
        }

        return null;
    }

    private static string WithoutExtension(string path) =>
        Path.GetExtension(path) is { Length: > 0 } extension ? path[..^extension.Length] : path;

    private static bool IsJavaScript(string path) =>
        path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".mjs", StringComparison.Ordinal) || path.EndsWith(".cjs", StringComparison.Ordinal)
        || path.EndsWith(".ts", StringComparison.Ordinal) || path.EndsWith(".mts", StringComparison.Ordinal) || path.EndsWith(".cts", StringComparison.Ordinal)
        || path.EndsWith(".tsx", StringComparison.Ordinal) || path.EndsWith(".jsx", StringComparison.Ordinal);

    private static string[] Lines(Dictionary<string, string[]> cache, string tree, string path)
    {
        if (!cache.TryGetValue(path, out var lines))
        {
            var text = File.ReadAllText(Path.Combine(tree, path));
            lines = text.EndsWith('\n') ? text[..^1].Split('\n') : text.Split('\n');
            cache[path] = lines;
        }

        return lines;
    }

    /// <summary>The range plus the blank lines after it (or, at the end of the file, before it), so no gap is left.</summary>
    private static (int From, int To) WithBlankLines(string[] lines, int start, int end)
    {
        var to = end;
        while (to < lines.Length && string.IsNullOrWhiteSpace(lines[to]))
        {
            to++;
        }

        var from = start;
        if (to == lines.Length)
        {
            while (from > 1 && string.IsNullOrWhiteSpace(lines[from - 2]))
            {
                from--;
            }
        }

        return (from, to);
    }

    /// <summary>A git diff of the edited files against the tree, made from scratch copies of just those files.</summary>
    private static async Task<string> DiffAsync(string tree, Dictionary<string, string> edited, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("sparring-weaken-").FullName;
        try
        {
            foreach (var (path, content) in edited)
            {
                var before = Path.Combine(scratch, "before", path);
                var after = Path.Combine(scratch, "after", path);
                Directory.CreateDirectory(Path.GetDirectoryName(before)!);
                Directory.CreateDirectory(Path.GetDirectoryName(after)!);
                File.Copy(Path.Combine(tree, path), before);
                await File.WriteAllTextAsync(after, content, cancellationToken).ConfigureAwait(false);
            }

            return await TreeDiff.DiffAsync(Path.Combine(scratch, "before"), Path.Combine(scratch, "after"), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
