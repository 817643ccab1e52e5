using Sparring.Testing;

namespace Sparring.Grading.Internal;

/// <summary>
/// Files that decide how tests run rather than what the code does, per language. A patch may not change
/// them: grading puts each back (or deletes it when the original had none).
/// </summary>
internal static class TestInfrastructure
{
    /// <summary>Exact file names, compared case-insensitively (NuGet.Config, nuget.config).</summary>
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        // Python: pytest reads these for options and plugins; site hooks run before any test.
        "conftest.py", "pytest.ini", ".pytest.ini", "pytest.toml", ".pytest.toml", "tox.ini", "setup.cfg", "pyproject.toml", "noxfile.py",
        "sitecustomize.py", "usercustomize.py", ".coveragerc",
        // Go: module graph (a replaced testify is a replaced verdict) and workspaces.
        "go.mod", "go.sum", "go.work", "go.work.sum",
        // JavaScript: scripts.test, runner configuration, preloads.
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml",
        ".babelrc", ".babelrc.json", ".babelrc.js", ".taprc", ".nycrc", ".nycrc.json", ".c8rc", ".c8rc.json", ".node-version", ".nvmrc",
        // .NET: imported into every project below them; SDK, feeds and test-platform settings.
        "Directory.Build.props", "Directory.Build.targets", "Directory.Build.rsp", "Directory.Packages.props", "Directory.Solution.props",
        "Directory.Solution.targets", "global.json", "nuget.config", "xunit.runner.json", "testconfig.json",
        // Shells and environment files a script might source.
        ".bashrc", ".bash_profile", ".profile", ".env", ".envrc", "Makefile", "GNUmakefile",
    };

    /// <summary>Name prefixes of runner configuration files (jest.config.js, .mocharc.yml, vitest.config.ts, …).</summary>
    private static readonly string[] Prefixes =
    [
        ".mocharc", "jest.config", "jest.setup", "jest-setup", "vitest.config", "vitest.setup", "vitest.workspace", "babel.config",
        "karma.conf", "ava.config", "setupTests", "test-setup", "test.setup", "playwright.config", "cypress.config",
    ];

    /// <summary>Name suffixes: Python path hooks, test settings, solutions (which projects build and test).</summary>
    private static readonly string[] Suffixes = [".pth", ".runsettings", ".testsettings", ".sln", ".slnx", ".slnf"];

    /// <summary>Directory names whose content is never the solver's to change.</summary>
    private static readonly HashSet<string> Directories = new(StringComparer.Ordinal) { "node_modules", "vendor", "testdata", "__snapshots__", ".git" };

    public static bool IsInfrastructure(string path)
    {
        var normalized = path.Replace('\\', '/');
        var name = normalized[(normalized.LastIndexOf('/') + 1)..];
        var segments = normalized.Split('/');
        return Names.Contains(name)
            || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
            || Suffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase))
            || segments[..^1].Any(Directories.Contains)
            || IsTestProjectFile(name, segments);
    }

    /// <summary>A project file in a test location (Geometry.Tests/Geometry.Tests.csproj); other project files are checked by content.</summary>
    private static bool IsTestProjectFile(string name, string[] segments) =>
        (name.EndsWith(".csproj", StringComparison.Ordinal) || name.EndsWith(".fsproj", StringComparison.Ordinal) || name.EndsWith(".vbproj", StringComparison.Ordinal))
        && (TestPaths.LooksLikeTest(string.Join('/', segments)) || name.Contains("Test", StringComparison.Ordinal));

    /// <summary>A project file whose content makes it a test project (in either version).</summary>
    public static bool IsTestProjectContent(string path, string content) =>
        (path.EndsWith(".csproj", StringComparison.Ordinal) || path.EndsWith(".fsproj", StringComparison.Ordinal) || path.EndsWith(".vbproj", StringComparison.Ordinal))
        && (content.Contains("Microsoft.NET.Test.Sdk", StringComparison.OrdinalIgnoreCase)
            || content.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase)
            || content.Contains("MSTest.Sdk", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Relative paths test_script.sh names (a sourced env file, a Makefile, a helper script), whether or not they
    /// exist in the original: a patch must not create a file the script would read.
    /// </summary>
    public static IReadOnlySet<string> NamedByScript(string script)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var separators = new[] { ' ', '\t', '\n', '\r', ';', '&', '|', '(', ')', '<', '>', '"', '\'', '`', '=', '[', ']', '{', '}' };
        foreach (var raw in script.Split(separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.StartsWith("./", StringComparison.Ordinal) ? raw[2..] : raw;
            token = token.TrimEnd('/');
            if (token.Length > 0 && !token.StartsWith('/') && !token.StartsWith('-') && !token.Contains("..", StringComparison.Ordinal) && !token.Contains('$', StringComparison.Ordinal))
            {
                found.Add(token);
            }
        }

        return found;
    }
}
