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
        var testCmd = new Option<string?>("--test-cmd") { Description = "Bash command that runs the tests, replacing detection." };
        var parser = new Option<string?>("--parser") { Description = $"Result parser: {string.Join(", ", TestReportParsers.Names)}, or script:PATH (SSR parser script)." };
        var commit = new Option<string>("--commit") { Description = "Commit to probe.", DefaultValueFactory = _ => "HEAD" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before the test run is killed.", DefaultValueFactory = _ => 600 };
        var showLog = new Option<bool>("--log") { Description = "Also print the runner's output (in --json: a \"log\" field)." };
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains; report them instead." };

        var command = new Command("probe", "Detect how a repository's tests run, run them in a sandbox on a throwaway copy, and print per-test results.")
        {
            repo, json, testCmd, parser, commit, timeout, showLog, noInstall,
        };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var options = new ProbeOptions
            {
                Revision = result.GetValue(commit)!,
                TestCommand = result.GetValue(testCmd),
                Parser = result.GetValue(parser),
                Timeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
            };
            options.Validate();
            var sandboxes = await Preflight.SandboxAsync(console, cancellationToken).ConfigureAwait(false);
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

            return !probe.Run.SuiteRan || NoTestRan(probe.Run.Counts) ? ExitCodes.SuiteDidNotRun
                : probe.Run.AllPassed ? ExitCodes.Success
                : ExitCodes.TestsFailed;
        }));
        return command;
    }

    /// <summary>No test got to a verdict: every result is an error (a collection or build error) or a skip.</summary>
    private static bool NoTestRan(TestCounts counts) => counts.Passed + counts.Failed + counts.Other == 0;

    private static string ProbeJson(ProbeResult probe, bool includeLog)
    {
        var node = JsonSerializer.SerializeToNode(probe.Run, TestingJsonContext.Default.TestRun)!.AsObject();
        node.Insert(0, "repository", probe.Repository);
        node.Insert(1, "commit", probe.Commit);
        node.Insert(2, "uncommittedChanges", probe.UncommittedChanges);
        node["environment"] = new System.Text.Json.Nodes.JsonObject
        {
            ["directory"] = probe.Environment.Directory,
            ["reused"] = probe.Environment.Reused,
            ["setup"] = JsonSerializer.SerializeToNode(probe.Environment.Steps.Select(s => s.Command).ToArray(), CliJsonContext.Default.StringArray),
        };
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
