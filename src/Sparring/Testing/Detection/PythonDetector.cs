namespace Sparring.Testing.Detection;

/// <summary>pytest from Debian's python3-pytest, run with the system Python (the only one inside the sandbox).</summary>
internal sealed class PythonDetector : IRunnerDetector
{
    private static readonly string[] ConfigFiles = ["pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", "setup.py", "conftest.py"];

    public TestPlan? TryDetect(string tree)
    {
        var config = ConfigFiles.FirstOrDefault(f => TreeScan.Exists(tree, f));
        var testFiles = TreeScan.FindFiles(tree, IsTestFile, limit: 5);
        if (config is null && testFiles.Count == 0)
        {
            return null;
        }

        if (config is "pyproject.toml" or "setup.py" or "setup.cfg" && testFiles.Count == 0)
        {
            return null;
        }

        var warnings = new List<string>();
        var requirements = TreeScan.FindFiles(tree, n => n.StartsWith("requirements", StringComparison.Ordinal) && n.EndsWith(".txt", StringComparison.Ordinal), maxDepth: 1);
        if (requirements.Count > 0)
        {
            warnings.Add($"{string.Join(", ", requirements)} not installed: Sparring does not pip-install. Provide the packages through the system Python (Debian python3-*), or use --test-cmd.");
        }

        return new TestPlan
        {
            Runner = "pytest",
            Reason = config is not null ? $"{config} and Python test files" : $"Python test files ({testFiles[0]})",
            Command = new TestCommand
            {
                Command = "python3 -m pytest -rA -v -p no:cacheprovider --color=no",
                Parser = "pytest",
            },
            Recipe = new EnvironmentRecipe
            {
                Environment = new Dictionary<string, string>
                {
                    ["PYTHONDONTWRITEBYTECODE"] = "1",
                    ["PYTHONUNBUFFERED"] = "1",
                    ["PYTHONHASHSEED"] = "0",
                },
            },
            Warnings = warnings,
        };
    }

    private static bool IsTestFile(string name) =>
        name.EndsWith(".py", StringComparison.Ordinal)
        && (name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal));
}
