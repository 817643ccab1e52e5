using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring probe REPO</c>: detect and run the test suite in a sandbox, print per-test results.</summary>
internal static class ProbeCommand
{
    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "Path to a git repository (its committed state at --commit is probed)." };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON on stdout." };
        var commit = new Option<string>("--commit") { Description = "Commit to probe.", DefaultValueFactory = _ => "HEAD" };
        var timeout = EnvironmentCommandOptions.TimeoutOption("the test run", 600);
        var showLog = new Option<bool>("--log") { Description = "Also print the runner's output (in --json: a \"log\" field)." };
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains; report them instead." };
        var writeConfig = new Option<string?>("--write-config")
        {
            HelpName = "PATH",
            Description = $"After the run, write what was found and given as a settings file (default PATH: the repository's {EnvironmentSettingsFile.FileName}).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var runs = new Option<int>("--runs") { Description = $"Run the suite this many times on the same code and report the tests whose status varies (flaky; 1 to {ProbeOptions.MaxRuns}).", DefaultValueFactory = _ => 1 };
        var force = new Option<bool>("--force") { Description = "Let --write-config replace an existing file." };
        var environment = new EnvironmentCommandOptions();

        var command = new Command("probe", "Detect how a repository's tests run, run them in a sandbox on a throwaway copy, and print per-test results.")
        {
            repo, json, commit, timeout, showLog, noInstall, writeConfig, force, runs,
        };
        foreach (var option in environment.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var overrides = environment.Overrides(result);
            var repository = await GitRepository.OpenAsync(result.GetValue(repo)!, cancellationToken).ConfigureAwait(false);
            var target = result.GetResult(writeConfig) is null ? null
                : Path.GetFullPath(result.GetValue(writeConfig) ?? Path.Combine(repository.Root, EnvironmentSettingsFile.FileName));
            if (target is not null && File.Exists(target) && !result.GetValue(force))
            {
                throw new ArgumentException($"'{target}' exists; pass --force to replace it");
            }

            var settings = await environment.ResolveAsync(result, overrides, repository.Root, console, cancellationToken).ConfigureAwait(false);
            // Said on the command line, --timeout is a setting like the others (and --write-config keeps it).
            var given = result.GetValue(timeout) is not null ? settings with { Timeout = EnvironmentCommandOptions.RunTimeout(result, timeout, settings, 600) } : settings;
            var options = new ProbeOptions
            {
                Revision = result.GetValue(commit)!,
                Settings = given with { Timeout = EnvironmentCommandOptions.RunTimeout(result, timeout, settings, 600) },
                Workspaces = environment.Workspace.Options(result),
                Runs = result.GetValue(runs),
            };
            options.Validate();
            var sandboxes = await Preflight.SandboxAsync(console, environment.Sandbox.Choice(result), cancellationToken).ConfigureAwait(false);
            var prober = new Prober(sandboxes, new SnapshotStore())
            {
                OnProgress = message => console.Error.WriteLine($"sparring: {message}"),
                BeforePrepare = (plan, ct) => Preflight.ToolchainsAsync(console, Toolchains.For(plan), !result.GetValue(noInstall), ct),
            };
            var probe = await prober.ProbeAsync(result.GetValue(repo)!, options, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(ProbeJson(probe, result.GetValue(showLog))).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, probe, result.GetValue(showLog)).ConfigureAwait(false);
            }

            if (target is not null)
            {
                await WriteConfigAsync(target, probe, given, result.GetValue(force), cancellationToken).ConfigureAwait(false);
                await console.Error.WriteLineAsync($"sparring: wrote {target}").ConfigureAwait(false);
            }

            return !probe.Run.SuiteRan || NoTestRan(probe.Run.Counts) ? ExitCodes.SuiteDidNotRun
                : probe.Run.AllPassed ? ExitCodes.Success
                : ExitCodes.TestsFailed;
        }));
        return command;
    }

    /// <summary>What detection found under the settings given, pinned in a settings file that plans the same.</summary>
    private static async Task WriteConfigAsync(string target, ProbeResult probe, EnvironmentSettings given, bool force, CancellationToken cancellationToken)
    {
        var discovered = TestRunnerDetector.Discovered(probe.Environment.Snapshot.TreePath, given);
        var text = EnvironmentSettingsFile.Format(discovered, [
            $"Written by `sparring probe --write-config` for {probe.Repository} at {probe.Commit[..12]}.",
            $"Runner: {probe.Plan.Runner} ({probe.Plan.Reason}).",
        ]);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        FileStream stream;
        try
        {
            // CreateNew unless --force: a file that appeared during the run is not overwritten either.
            stream = new FileStream(target, force ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        }
        catch (IOException) when (!force && File.Exists(target))
        {
            throw new ArgumentException($"'{target}' exists; pass --force to replace it");
        }

        await using (stream)
        {
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No test got to a verdict: every result is an error (a collection or build error) or a skip.</summary>
    private static bool NoTestRan(TestCounts counts) => counts.Passed + counts.Failed + counts.Other == 0;

    private static string ProbeJson(ProbeResult probe, bool includeLog)
    {
        var node = JsonSerializer.SerializeToNode(probe.Run, TestingJsonContext.Default.TestRun)!.AsObject();
        node.Insert(0, "repository", probe.Repository);
        node.Insert(1, "commit", probe.Commit);
        node.Insert(2, "uncommittedChanges", probe.UncommittedChanges);
        // Where the command came from (the files detection read), next to the runner it chose.
        node.Insert(node.IndexOf("runner") + 1, "reason", probe.Plan.Reason);
        node["environment"] = new System.Text.Json.Nodes.JsonObject
        {
            ["directory"] = probe.Environment.Directory,
            ["reused"] = probe.Environment.Reused,
            ["setup"] = JsonSerializer.SerializeToNode(probe.Environment.Steps.Select(s => s.Command).ToArray(), CliJsonContext.Default.StringArray),
        };
        if (probe.Runs.Count > 1)
        {
            node["runs"] = probe.Runs.Count;
            node["flaky"] = new System.Text.Json.Nodes.JsonArray([.. probe.Flaky.Select(f => new System.Text.Json.Nodes.JsonObject
            {
                ["test"] = f.TestId,
                ["statuses"] = new System.Text.Json.Nodes.JsonArray([.. f.Statuses.Select(s => (System.Text.Json.Nodes.JsonNode?)s?.Value)]),
            })]);
        }

        if (includeLog)
        {
            node["log"] = probe.Run.Log;
        }

        return node.ToJsonString(CliJsonContext.Default.Options);
    }

    private static async Task PrintAsync(TextWriter output, ProbeResult probe, bool showLog)
    {
        var run = probe.Run;
        await output.WriteLineAsync($"repository  {probe.Repository} @ {probe.Commit[..12]}{(probe.UncommittedChanges ? " (uncommitted changes not included)" : "")}").ConfigureAwait(false);
        await output.WriteLineAsync($"runner      {run.Runner} ({probe.Plan.Reason})").ConfigureAwait(false);
        await output.WriteLineAsync($"command     {run.Command}").ConfigureAwait(false);
        var setup = probe.Environment.Steps.Count == 0 ? "nothing to prepare"
            : $"{probe.Environment.Steps.Count} command(s), {(probe.Environment.Reused ? "reused from an earlier probe" : "ran now")}";
        await output.WriteLineAsync($"setup       {setup}").ConfigureAwait(false);
        if (showLog)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(run.Log).ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        var width = Math.Max(7, run.Tests.Select(t => t.Status.Value.Length).DefaultIfEmpty(0).Max());
        await output.WriteLineAsync($"{"STATUS".PadRight(width)}  TEST").ConfigureAwait(false);
        foreach (var test in run.Tests)
        {
            await output.WriteLineAsync($"{test.Status.Value.PadRight(width)}  {test.Id}").ConfigureAwait(false);
        }

        var c = run.Counts;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{c.Total} tests: {c.Passed} passed, {c.Failed} failed, {c.Skipped} skipped, {c.Error} error{(c.Other > 0 ? $", {c.Other} other" : "")}; exit code {run.ExitCode}; {run.Duration.TotalSeconds:0.0} s")).ConfigureAwait(false);
        await output.WriteLineAsync($"suite ran: {(run.SuiteRan ? "yes" : "NO")} ({run.Evidence})").ConfigureAwait(false);
        if (probe.Runs.Count > 1)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"flaky over {probe.Runs.Count} runs: {(probe.Flaky.Count == 0 ? "none" : $"{probe.Flaky.Count} test(s)")}")).ConfigureAwait(false);
            foreach (var test in probe.Flaky)
            {
                await output.WriteLineAsync("flaky: " + FlakyTests.Describe(test)).ConfigureAwait(false);
            }
        }

        foreach (var line in run.Disagreements)
        {
            await output.WriteLineAsync($"disagreement: {line}").ConfigureAwait(false);
        }

        foreach (var line in run.Warnings)
        {
            await output.WriteLineAsync($"warning: {line}").ConfigureAwait(false);
        }

        if (run.Diagnosis is { } diagnosis)
        {
            foreach (var line in diagnosis.Lines())
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            if (!showLog)
            {
                await output.WriteLineAsync("(--log prints the whole log)").ConfigureAwait(false);
            }
        }
    }
}
