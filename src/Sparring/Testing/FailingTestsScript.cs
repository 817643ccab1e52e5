using System.Buffers;
using System.Text.RegularExpressions;

namespace Sparring.Testing;

/// <summary>
/// A test script narrowed to some tests, for runs that only need to know whether those tests pass (the search
/// solver's first look at a candidate). Only shapes it knows are narrowed: a one-line pytest or <c>go test ./...</c>
/// script with no shell syntax, the <c>dotnet test</c> scripts the detector writes (VSTest, one run per project),
/// a one-line <c>node --test</c> over test files or folders, the jest and vitest lines the detector writes (after its
/// pretest build, if any), and test ids that can be passed on without quoting problems; anything else gives null, and
/// the caller runs the whole script.
/// </summary>
/// <remarks>
/// A narrowed script may run more tests than asked (a Go subtest's whole test, every row of a .NET theory, every test
/// of a JavaScript file), never knowingly fewer; a runner that names a test otherwise than its id says (a custom display
/// name) leaves it out of the narrowed run, which the caller must not read as a failure.
/// </remarks>
public static partial class FailingTestsScript
{
    private static readonly SearchValues<char> ShellSyntax = SearchValues.Create("|&;><`$");

    /// <summary>The script running only <paramref name="testIds"/>, or null when this script or these ids cannot be narrowed.</summary>
    public static string? Narrow(string testScript, string? parser, IReadOnlyList<string> testIds)
    {
        ArgumentNullException.ThrowIfNull(testScript);
        ArgumentNullException.ThrowIfNull(testIds);
        var lines = testScript.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        if (testIds.Count == 0 || lines.Count == 0)
        {
            return null;
        }

        if (parser == "trx")
        {
            return Dotnet(lines, testIds);
        }

        if (parser == "jest-json" && lines.Count == 1)
        {
            return JestOrVitest(lines[0], testIds);
        }

        if (lines.Count != 1 || lines[0].AsSpan().IndexOfAny(ShellSyntax) >= 0)
        {
            return null;
        }

        var line = lines[0];
        return parser switch
        {
            "pytest" => Pytest(line, testIds),
            "go-test-json" => Go(line, testIds),
            "node-jsonl" => NodeTest(line, testIds),
            _ => null,
        };
    }

    private static string? Pytest(string line, IReadOnlyList<string> ids) =>
        line.Contains("pytest", StringComparison.Ordinal) && ids.All(id => id.Contains("::", StringComparison.Ordinal) && !id.Contains('\'', StringComparison.Ordinal))
            ? "#!/bin/bash\n" + line + " " + string.Join(' ', ids.Select(id => $"'{id}'")) + "\n"
            : null;

    /// <summary>
    /// <c>go test … ./...</c> becomes <c>go test … -run '^(TestA|TestB)$' pkg/a pkg/b</c>: the ids are
    /// <c>package/TestName[/subtest]</c>, and a subtest runs with its whole top-level test.
    /// </summary>
    private static string? Go(string line, IReadOnlyList<string> ids)
    {
        if (!line.StartsWith("go test ", StringComparison.Ordinal) || !line.EndsWith(" ./...", StringComparison.Ordinal) || line.Contains(" -run", StringComparison.Ordinal))
        {
            return null;
        }

        var packages = new SortedSet<string>(StringComparer.Ordinal);
        var tests = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var segments = id.Split('/');
            var at = Array.FindIndex(segments, s => TopLevelTest().IsMatch(s));
            if (at <= 0 || !ImportPath().IsMatch(string.Join('/', segments[..at])))
            {
                return null;
            }

            packages.Add(string.Join('/', segments[..at]));
            tests.Add(segments[at]);
        }

        return "#!/bin/bash\n" + line[..^"./...".Length] + $"-run '^({string.Join('|', tests)})$' " + string.Join(' ', packages) + "\n";
    }

    /// <summary>What go test runs as a test: Test, Example or Fuzz, then nothing or a character that is not a lower-case letter.</summary>
    [GeneratedRegex("^(Test|Example|Fuzz)([^a-z][A-Za-z0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TopLevelTest();

    [GeneratedRegex(@"^[A-Za-z0-9._~\-]+(/[A-Za-z0-9._~\-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ImportPath();
}
