using Sparring.Testing.Detection;

namespace Sparring.Testing;

/// <summary>Decides how a repository's tests run, from the files in its tree.</summary>
/// <remarks>Order matters when a repository has several (a Go service with a JavaScript front end): .NET, Go, Python, then JavaScript.</remarks>
public static class TestRunnerDetector
{
    /// <summary>Sandbox paths the plans refer to.</summary>
    public const string ResultsPath = "/sparring/results";

    private static readonly IRunnerDetector[] Detectors =
    [
        new DotnetDetector(),
        new GoDetector(),
        new PythonDetector(),
        new NodeDetector(),
    ];

    /// <summary>The plan for the tree at <paramref name="tree"/>.</summary>
    /// <exception cref="NoTestRunnerException">No supported runner fits the tree.</exception>
    public static TestPlan Detect(string tree)
    {
        foreach (var detector in Detectors)
        {
            if (detector.TryDetect(tree) is { } plan)
            {
                return plan;
            }
        }

        throw new NoTestRunnerException(tree);
    }

    /// <summary>
    /// The detected plan, or a plan that prepares nothing and runs <c>true</c> when no runner fits: for callers that
    /// bring their own command (an artifact's test script, <c>exec</c>).
    /// </summary>
    public static TestPlan DetectOrNone(string tree)
    {
        try
        {
            return Detect(tree);
        }
        catch (NoTestRunnerException)
        {
            return new TestPlan { Runner = "none", Reason = "no runner detected", Command = new TestCommand { Command = "true", Parser = "ssr-json" } };
        }
    }

    /// <summary>A plan for a user-given command: the environment of the detected runner (if any), the user's command and parser.</summary>
    public static TestPlan Custom(string tree, string command, string? parser, TimeSpan timeout)
    {
        TestPlan? detected = null;
        try
        {
            detected = Detect(tree);
        }
        catch (NoTestRunnerException)
        {
        }

        var chosen = parser ?? GuessParser(command) ?? throw new ArgumentException(
            $"Cannot tell how to read the output of '{command}'. Pass --parser with one of: {string.Join(", ", TestReportParsers.Names)}, or script:PATH.");
        return new TestPlan
        {
            Runner = "custom",
            Reason = "--test-cmd given" + (detected is null ? "" : $"; environment prepared as for {detected.Runner}"),
            Command = new TestCommand { Command = command, Parser = chosen, Timeout = timeout },
            Recipe = detected?.Recipe ?? new EnvironmentRecipe(),
            Warnings = detected?.Warnings ?? [],
        };
    }

    private static string? GuessParser(string command) => command switch
    {
        _ when command.Contains("pytest", StringComparison.Ordinal) => "pytest",
        _ when command.Contains("go test", StringComparison.Ordinal) && command.Contains("-json", StringComparison.Ordinal) => "go-test-json",
        _ when command.Contains("--logger", StringComparison.Ordinal) && command.Contains("trx", StringComparison.Ordinal) => "trx",
        _ when command.Contains("node --test", StringComparison.Ordinal) && !command.Contains("--test-reporter", StringComparison.Ordinal) => "tap",
        _ when command.Contains(Internal.NodeReporter.SandboxPath, StringComparison.Ordinal) => "node-jsonl",
        _ when command.Contains("node_modules/.bin/tape", StringComparison.Ordinal) => "tape",
        _ => null,
    };
}
