using Sparring.Testing.Detection;

namespace Sparring.Testing;

/// <summary>Decides how a repository's tests run, from the files in its tree.</summary>
/// <remarks>Order matters when a repository has several (a Go service with a JavaScript front end): .NET, Go, Python, then JavaScript.</remarks>
public static class TestRunnerDetector
{
    /// <summary>Sandbox paths the plans refer to.</summary>
    public const string ResultsPath = "/sparring/results";

    /// <summary>The plan for the tree at <paramref name="tree"/>, as detected.</summary>
    /// <exception cref="NoTestRunnerException">No supported runner fits the tree.</exception>
    public static TestPlan Detect(string tree) => TryDetect(tree, EnvironmentSettings.None.BuildProperties) ?? throw new NoTestRunnerException(tree);

    /// <summary>
    /// The plan for the tree with <paramref name="settings"/> laid over detection: the one place where the settings of
    /// <c>sparring.toml</c> and the command line meet what detection found, so every verb runs the same thing.
    /// </summary>
    /// <remarks>
    /// A test command or setup command equal to a detected one (as detection writes it, before build properties) counts as
    /// the detected one, so build properties still reach it: that is what makes <see cref="Discovered"/> round-trip.
    /// </remarks>
    /// <exception cref="NoTestRunnerException">No supported runner fits the tree and the settings give no test command.</exception>
    /// <exception cref="ArgumentException">A setting is unusable, or a test command's parser cannot be guessed.</exception>
    public static TestPlan Plan(string tree, EnvironmentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var bare = TryDetect(tree, EnvironmentSettings.None.BuildProperties);
        return bare is null && settings.TestCommand is null ? throw new NoTestRunnerException(tree) : Apply(tree, bare, settings);
    }

    /// <summary>
    /// As <see cref="Plan"/>, but a tree no runner fits gets a plan that runs <c>true</c> (with the settings' setup and
    /// environment): for callers that bring their own command (an artifact's test script, <c>exec</c>).
    /// </summary>
    public static TestPlan PlanOrNone(string tree, EnvironmentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var bare = TryDetect(tree, EnvironmentSettings.None.BuildProperties);
        if (bare is null && settings.TestCommand is null)
        {
            bare = new TestPlan { Runner = "none", Reason = "no runner detected", Command = new TestCommand { Command = "true", Parser = "ssr-json" } };
        }

        return Apply(tree, bare, settings);
    }

    /// <summary>
    /// The settings that pin what <see cref="Plan"/> decides under <paramref name="settings"/>: the test command, parser and
    /// setup commands as detected (or as set), plus every setting given. Planning with them gives the same plan, so they are
    /// what <c>probe --write-config</c> writes.
    /// </summary>
    public static EnvironmentSettings Discovered(string tree, EnvironmentSettings settings)
    {
        var plan = Plan(tree, settings);
        var bare = TryDetect(tree, EnvironmentSettings.None.BuildProperties);
        var detectedCommand = bare is not null && plan.Runner == bare.Runner;
        return settings with
        {
            TestCommand = detectedCommand ? bare!.Command.Command : plan.Command.Command,
            Parser = plan.Command.Parser,
            SetupCommands = settings.SetupCommands ?? bare?.Recipe.SetupCommands ?? [],
        };
    }

    private static TestPlan? TryDetect(string tree, IReadOnlyDictionary<string, string> buildProperties)
    {
        IRunnerDetector[] detectors =
        [
            new DotnetDetector { BuildProperties = buildProperties },
            new GoDetector(),
            new PythonDetector(),
            new NodeDetector(),
        ];
        foreach (var detector in detectors)
        {
            if (detector.TryDetect(tree) is { } plan)
            {
                return plan;
            }
        }

        return null;
    }

    private static TestPlan Apply(string tree, TestPlan? bare, EnvironmentSettings settings)
    {
        var detected = bare is not null && settings.BuildProperties.Count > 0 ? TryDetect(tree, settings.BuildProperties) ?? bare : bare;

        // Each detected command as detection writes it → as it runs with the build properties.
        var withProperties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bare is not null && detected is not null)
        {
            withProperties[bare.Command.Command] = detected.Command.Command;
            foreach (var (plain, final) in bare.Recipe.SetupCommands.Zip(detected.Recipe.SetupCommands))
            {
                withProperties[plain] = final;
            }
        }

        string Resolve(string command) => withProperties.GetValueOrDefault(command, command);

        var plan = detected ?? new TestPlan { Runner = "custom", Reason = "", Command = new TestCommand { Command = "true", Parser = "ssr-json" } };
        var warnings = new List<string>(plan.Warnings);
        if (settings.TestCommand is { } command && Resolve(command) != detected?.Command.Command)
        {
            var parser = settings.Parser ?? GuessParser(command) ?? throw new ArgumentException(
                $"Cannot tell how to read the output of '{command}'. Pass --parser (or set parser in sparring.toml) with one of: {string.Join(", ", TestReportParsers.Names)}, or script:PATH.");
            plan = plan with
            {
                Runner = "custom",
                Reason = "test command given" + (detected is null || detected.Runner == "none" ? "" : $"; environment prepared as for {detected.Runner}"),
                Command = new TestCommand { Command = command, Parser = parser },
            };
        }
        else if (settings.Parser is { } parser)
        {
            plan = plan with { Command = plan.Command with { Parser = parser } };
        }

        var recipe = plan.Recipe;
        if (settings.SetupCommands is { } setup)
        {
            recipe = recipe with { SetupCommands = setup.Select(Resolve).ToList() };
        }

        if (settings.Environment.Count > 0)
        {
            var environment = new Dictionary<string, string>(recipe.Environment, StringComparer.Ordinal);
            var runEnvironment = new Dictionary<string, string>(recipe.RunEnvironment, StringComparer.Ordinal);
            foreach (var (key, value) in settings.Environment)
            {
                environment[key] = value;
                // Runs read RunEnvironment over Environment: the user's value must win there too.
                if (runEnvironment.ContainsKey(key))
                {
                    runEnvironment[key] = value;
                }
            }

            recipe = recipe with { Environment = environment, RunEnvironment = runEnvironment };
        }

        var used = withProperties.Where(p => p.Key != p.Value).Select(p => p.Value).ToHashSet(StringComparer.Ordinal);
        if (settings.BuildProperties.Count > 0 && !used.Contains(plan.Command.Command) && !recipe.SetupCommands.Any(used.Contains))
        {
            warnings.Add("The build properties reach no command: they are added to the detected dotnet restore, build and test only, and "
                + (detected?.Runner == "dotnet" ? "the test and setup commands given replace those; add -p:NAME=VALUE to them yourself." : "no .NET solution or test project was detected."));
        }

        return plan with
        {
            Command = plan.Command with { Timeout = settings.Timeout ?? plan.Command.Timeout },
            Recipe = recipe,
            Warnings = warnings,
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
