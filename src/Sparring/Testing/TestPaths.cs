namespace Sparring.Testing;

/// <summary>
/// Whether a path looks like a test file in the four supported languages. Used where an artifact's own
/// list cannot be trusted (an injector could list a source file as a "test" to have it restored).
/// </summary>
public static partial class TestPaths
{
    private static readonly string[] TestDirectories = ["test", "tests", "__tests__", "spec", "specs", "testing", "testdata"];

    public static bool LooksLikeTest(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Replace('\\', '/');
        var name = Path.GetFileName(normalized);
        var segments = normalized.Split('/');
        if (segments[..^1].Any(s => TestDirectories.Contains(s, StringComparer.OrdinalIgnoreCase)
            || s.EndsWith(".Tests", StringComparison.Ordinal) || s.EndsWith(".Test", StringComparison.Ordinal)
            || s.EndsWith(".UnitTests", StringComparison.Ordinal) || s.EndsWith(".IntegrationTests", StringComparison.Ordinal)))
        {
            return true;
        }

        return name.StartsWith("test_", StringComparison.Ordinal) && name.EndsWith(".py", StringComparison.Ordinal)
            || name.EndsWith("_test.py", StringComparison.Ordinal)
            || name is "test.py" or "tests.py"
            || name == "conftest.py"
            || name.EndsWith("_test.go", StringComparison.Ordinal)
            || name.Contains(".test.", StringComparison.Ordinal)
            || name.Contains(".spec.", StringComparison.Ordinal)
            || name.EndsWith("Tests.cs", StringComparison.Ordinal)
            || name.EndsWith("Test.cs", StringComparison.Ordinal)
            || JavaScriptTestName().IsMatch(name);
    }

    // JavaScript and TypeScript: a root test.js or test.node.js (mocha, ava, tape), tsd's index.test-d.ts, parser_test.ts, parser-spec.js.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:tests?(?:\.[\w-]+)*|.+[._-](?:test|spec)|.+\.test-d)\.(?:[cm]?js|[cm]?ts|jsx|tsx)$")]
    private static partial System.Text.RegularExpressions.Regex JavaScriptTestName();
}
