using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>
/// Which tracked files a bug may go into: library code, not vendored or generated copies, build and packaging
/// scripts, tool configuration (<c>karma.conf.js</c>, <c>vitest.config.ts</c>, <c>.eslintrc.cjs</c>), benchmarks, examples
/// or type declarations (a bug there is never what the tests check).
/// </summary>
public static partial class InjectablePaths
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        ".git", "node_modules", "vendor", "third_party", "thirdparty", "external", ".venv", "venv", "bin", "obj", "dist", "build",
        "__pycache__", ".tox", "target", "bench", "benches", "benchmark", "benchmarks", "example", "examples", "docs", "doc",
    };

    private static readonly HashSet<string> SkippedFiles = new(StringComparer.Ordinal)
    {
        "setup.py", "conftest.py", "ez_setup.py", "versioneer.py", "_version.py", "noxfile.py", "tasks.py", "fabfile.py", "Gruntfile.js", "gulpfile.js", "webpack.config.js", "rollup.config.js", "eslint.config.js",
    };

    /// <summary>True when a bug may be injected into <paramref name="path"/> (repository-relative, '/'-separated).</summary>
    public static bool IsInjectable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        var name = segments[^1];
        return !segments[..^1].Any(SkippedDirectories.Contains)
            && !SkippedFiles.Contains(name)
            && !name.StartsWith("bench", StringComparison.OrdinalIgnoreCase)
            && !name.EndsWith(".d.ts", StringComparison.Ordinal)
            && !name.EndsWith(".min.js", StringComparison.Ordinal)
            && !ToolConfiguration().IsMatch(name)
            && !TestPaths.LooksLikeTest(path);
    }

    /// <summary>
    /// True when a file's head says a tool wrote it ("Code generated … DO NOT EDIT.", "@generated", "auto-generated"):
    /// a bug there is overwritten by the next generation and no test targets the file itself.
    /// </summary>
    public static bool LooksGenerated(string head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return head.Contains("DO NOT EDIT", StringComparison.OrdinalIgnoreCase)
            || head.Contains("@generated", StringComparison.Ordinal)
            || head.Contains("auto-generated", StringComparison.OrdinalIgnoreCase)
            || head.Contains("automatically generated", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first 1,000 characters of a file (what <see cref="LooksGenerated"/> reads), or "" when it cannot be read.</summary>
    public static string Head(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            var buffer = new char[1000];
            return new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    // A JavaScript or TypeScript file named for a tool it configures: karma.conf.js, vitest.config.ts, .eslintrc.cjs, .mocharc.js.
    [System.Text.RegularExpressions.GeneratedRegex(@"^\..*\.[cm]?[jt]s$|\.conf(?:ig)?\.[cm]?[jt]s$")]
    private static partial System.Text.RegularExpressions.Regex ToolConfiguration();
}
