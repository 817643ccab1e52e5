using System.Text.Json;
using Sparring.Sandboxes;

namespace Sparring.Testing.Instrumentation;

/// <summary>
/// Sparring's own pytest plugin, loaded through <c>PYTEST_ADDOPTS</c> from a read-only mount. It records
/// each test's outcome from pytest's report hooks and writes them when the session finishes, so a run that
/// was cut short (an exit at import) or a log with forged lines has no matching report.
/// </summary>
public static class PytestInstrumentation
{
    /// <summary>Where the plugin's directory is mounted in the sandbox.</summary>
    public const string SandboxDirectory = "/sparring/grader";

    /// <summary>The report's file name in the run's results directory.</summary>
    public const string ReportName = "sparring-grader-pytest.json";

    /// <summary>The plugin's version, part of the key of anything cached from an instrumented run.</summary>
    public const string Version = "1";

    private const string PluginModule = "sparring_grader_plugin";

    private const string Plugin = """
        import json, os

        _outcomes = {}
        _rank = {"passed": 0, "skipped": 1, "xfailed": 2, "xpassed": 2, "failed": 3, "error": 4}


        def _record(nodeid, outcome):
            previous = _outcomes.get(nodeid)
            if previous is None or _rank.get(outcome, 5) >= _rank.get(previous, 5):
                _outcomes[nodeid] = outcome


        def pytest_runtest_logreport(report):
            if hasattr(report, "wasxfail"):
                _record(report.nodeid, "xfailed" if report.skipped else "xpassed")
            elif report.when == "call":
                _record(report.nodeid, report.outcome)
            elif report.outcome == "failed":
                _record(report.nodeid, "error")
            elif report.outcome == "skipped":
                _record(report.nodeid, "skipped")


        def pytest_sessionfinish(session, exitstatus):
            path = os.environ.get("SPARRING_GRADER_REPORT")
            if not path:
                return
            with open(path + ".tmp", "w") as f:
                json.dump({"exitstatus": int(exitstatus), "tests": _outcomes}, f)
            os.replace(path + ".tmp", path)
        """;

    /// <summary>Whether a test script looks like it runs pytest (worth a reference run).</summary>
    /// <param name="environment">The environment the script runs in; its detected runner counts.</param>
    /// <param name="testScript">The script that runs the tests.</param>
    public static bool Applies(PreparedEnvironment environment, string testScript) =>
        RunnerInstrumentation.Applies(environment, testScript, "pytest", "pytest");

    /// <summary>The environment with the plugin switched on (variables on top of the recipe's run environment).</summary>
    public static PreparedEnvironment Instrument(PreparedEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var pythonPath = RunnerInstrumentation.Variable(environment, "PYTHONPATH");
        var addopts = RunnerInstrumentation.Variable(environment, "PYTEST_ADDOPTS");
        return RunnerInstrumentation.With(
            environment,
            ("PYTHONPATH", string.IsNullOrEmpty(pythonPath) ? SandboxDirectory : SandboxDirectory + ":" + pythonPath),
            ("PYTEST_ADDOPTS", (string.IsNullOrEmpty(addopts) ? "" : addopts + " ") + "-p " + PluginModule),
            ("SPARRING_GRADER_REPORT", TestRunnerDetector.ResultsPath + "/" + ReportName));
    }

    /// <summary>Writes the plugin into <paramref name="directory"/> and returns the read-only mount that exposes it.</summary>
    public static async Task<SandboxMount> WritePluginAsync(string directory, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, PluginModule + ".py"), Plugin, cancellationToken).ConfigureAwait(false);
        return new SandboxMount(directory, SandboxDirectory, ReadOnly: true);
    }

    /// <summary>The plugin's report from a run's results directory, or null when the session never finished.</summary>
    public static PytestReport? Read(string resultsDirectory)
    {
        var path = Path.Combine(resultsDirectory, ReportName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var tests = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var test in document.RootElement.GetProperty("tests").EnumerateObject())
            {
                tests[test.Name] = test.Value.GetString() ?? "";
            }

            return new PytestReport(document.RootElement.GetProperty("exitstatus").GetInt32(), tests);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new PytestReport(-1, new Dictionary<string, string>(StringComparer.Ordinal)) { Malformed = true };
        }
    }
}
