using Sparring.Sandboxes;

namespace Sparring.Testing.Detection;

/// <summary>
/// pytest from Debian's python3-pytest, run with the system Python (the only one inside the sandbox), with the
/// repository importable as an install would make it: its source roots on <c>PYTHONPATH</c> and a generated
/// <c>.dist-info</c> so <c>importlib.metadata</c> finds its name and version.
/// </summary>
internal sealed class PythonDetector : IRunnerDetector
{
    /// <summary>Where setup writes the generated package metadata; runs get a copy on <c>PYTHONPATH</c>.</summary>
    public const string DistPath = "/sparring/python-dist";

    private static readonly string[] ConfigFiles = ["pytest.toml", ".pytest.toml", "pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", "setup.py", "conftest.py"];

    public TestPlan? TryDetect(string tree)
    {
        var config = ConfigFiles.FirstOrDefault(f => TreeScan.Exists(tree, f));
        var testFiles = TreeScan.FindFiles(tree, IsTestFile, limit: 5);
        if (config is null && testFiles.Count == 0)
        {
            return null;
        }

        // A package's metadata alone is no test suite, unless the repository says it runs pytest (on a test.py, say).
        var project = PythonProject.Read(tree);
        var invocation = PytestInvocationReader.Find(tree, project.SourceRoots);
        if (config is "pyproject.toml" or "setup.py" or "setup.cfg" && testFiles.Count == 0 && invocation is not { HasPaths: true })
        {
            return null;
        }

        var warnings = new List<string>();
        var requirements = TreeScan.FindFiles(tree, n => n.StartsWith("requirements", StringComparison.Ordinal) && n.EndsWith(".txt", StringComparison.Ordinal), maxDepth: 1);
        if (requirements.Count > 0)
        {
            warnings.Add($"{string.Join(", ", requirements)} not installed: Sparring does not pip-install. Provide the packages through the system Python (Debian python3-*), or use --test-cmd.");
        }

        // One module that fails to import (an optional dependency missing here) must not stop the other modules.
        var command = "python3 -m pytest -rA -v -p no:cacheprovider --color=no --continue-on-collection-errors";
        if (PytestNativeConfig.Find(tree) is { } native)
        {
            command += " " + PytestNativeConfig.Arguments(tree, native.Settings, withTestpaths: invocation?.HasPaths is not true);
            warnings.Add($"pytest settings in {native.File} are read only by pytest 9+; passed to pytest 7.2 as arguments.");
        }

        if (invocation is { Arguments.Count: > 0 })
        {
            command += " " + string.Join(' ', invocation.Arguments.Select(TreeScan.Quote));
        }

        var workspace = new SandboxOptions().WorkspaceMountPath.TrimEnd('/');
        var path = project.SourceRoots.Select(r => workspace + "/" + r).ToList();
        var setup = new List<string>();
        var caches = new List<CacheMount>();
        if (project.Name is not null)
        {
            var dist = $"{DistPath}/{project.DistInfoDirectory}";
            setup.Add($"mkdir -p {dist} && printf '%s\\n' 'Metadata-Version: 2.1' {TreeScan.Quote("Name: " + project.Name)} {TreeScan.Quote("Version: " + project.Version)} > {dist}/METADATA");
            caches.Add(new CacheMount("python-dist", DistPath, CacheScope.CopiedPerRun));
            path.Add(DistPath);
        }

        // The version module a build would generate (hatch-vcs, setuptools-scm): written into the prepared tree, which
        // the runs copy, never into the repository.
        if (project.VersionFile is { } versionFile && !TreeScan.Exists(tree, versionFile) && Directory.Exists(Path.Combine(tree, Path.GetDirectoryName(versionFile) ?? "")))
        {
            setup.Add($"[ -e {TreeScan.Quote(versionFile)} ] || printf '%s\\n' {string.Join(' ', VersionModule(project.Version).Select(TreeScan.Quote))} > {TreeScan.Quote(versionFile)}");
        }

        var environment = new Dictionary<string, string>
        {
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONHASHSEED"] = "0",
        };
        if (path.Count > 0)
        {
            environment["PYTHONPATH"] = string.Join(':', path);
        }

        return new TestPlan
        {
            Runner = "pytest",
            Reason = (config is not null ? $"{config} and Python test files" : $"Python test files ({testFiles[0]})")
                + (invocation is null ? "" : $"; pytest arguments from {invocation.Source}"),
            Command = new TestCommand { Command = command, Parser = "pytest" },
            Recipe = new EnvironmentRecipe { SetupCommands = setup, Caches = caches, Environment = environment },
            Warnings = warnings,
        };
    }

    /// <summary>The lines setuptools-scm's template writes for <paramref name="version"/>.</summary>
    private static string[] VersionModule(string version)
    {
        var parts = version.Split('.').Select(p => int.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "'" + p + "'");
        return
        [
            "# generated by Sparring, as setuptools-scm would at build time",
            $"__version__ = version = '{version}'",
            $"__version_tuple__ = version_tuple = ({string.Join(", ", parts)},)",
            "__commit_id__ = commit_id = None",
        ];
    }

    private static bool IsTestFile(string name) =>
        name.EndsWith(".py", StringComparison.Ordinal)
        && (name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal));
}
