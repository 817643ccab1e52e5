using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Evaluation;
using Sparring.Grading;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring eval TASK_SET</c>: a policy's samples on a task set, each graded by the hardened grader, resumable.</summary>
internal static class EvalCommand
{
    /// <summary>What an evaluation folder was started with; <c>--resume</c> must agree.</summary>
    private const string StartFile = "eval.json";

    public static Command Create(CliConsole console)
    {
        var taskSet = new Argument<string>("task-set") { Description = "A SWE-bench JSONL file (or a swebench export folder), or a folder of Harbor tasks." };
        var output = new Option<string>("--out") { Description = "The evaluation folder: results.jsonl (the journal), summary.json, report.html, SWE-bench reports and predictions.", DefaultValueFactory = _ => "eval" };
        var resume = new Option<bool>("--resume") { Description = "Continue the evaluation in --out (same task set, policy and samples): what is graded stays graded." };
        var predictions = new Option<string[]>("--predictions") { Description = "Score these SWE-bench predictions files instead of running an agent: one file per sample (repeatable).", AllowMultipleArgumentsPerToken = false };
        var samples = new Option<int?>("--samples") { Description = "Samples per instance, K (default 1; with --predictions, the number of files)." };
        var role = new Option<string>("--role") { Description = "solver (each sample is a fix, graded) or test-writer (an LLM agent writes a test reproducing each instance's bug, judged fail→pass: resolved when it fails on the broken tree and passes on the fixed one).", DefaultValueFactory = _ => "solver" };
        var select = new Option<string?>("--select") { Description = "Choose one sample per instance with these test-time selectors, comma-separated: kimi-dev, swe-swiss, hybrid, infcode. Reports each one's resolve rate beside pass@1 and pass@k; with --resume, selects on an evaluation already graded.", HelpName = "SELECTORS" };
        var selectTests = new Option<int?>("--select-tests") { Description = "Tests the test writer generates per instance for kimi-dev, hybrid and infcode (default: --samples).", HelpName = "M" };
        var infcodeRounds = new Option<int>("--infcode-rounds") { Description = "Rounds of InfCode's loop: strengthen the tests against a patch that passes them all, revise the patches that fail one (0: choose by the generated tests alone).", DefaultValueFactory = _ => 2, HelpName = "R" };
        var retries = new Option<int>("--retries") { Description = "Tries after the first for a sample that ended in error (setup, timeout of the fixed tree's suite, lost sandbox).", DefaultValueFactory = _ => 2 };
        var parallel = new Option<int>("--parallel") { Description = "Samples run at once.", DefaultValueFactory = _ => 1 };
        var repos = new Option<string[]>("--repo") { Description = "Where the instances' commits come from: PATH or git URL for every instance, or NAME=PATH|URL for the instances whose repo is NAME (repeatable). Default: repo.git beside the JSONL, or a Harbor task's environment/repo.bundle.", HelpName = "[NAME=]PATH|URL" };
        var timeout = EnvironmentCommandOptions.TimeoutOption("one run of the suite when grading", 300);
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON on stdout." };
        var model = new ModelCommandOptions();
        var environment = new EnvironmentCommandOptions();
        var command = new Command("eval", "Evaluate a policy on a task set (SWE-bench JSONL or Harbor tasks): an LLM agent or a predictions file, K samples per instance, each graded by the hardened grader as resolved, unresolved or error (infrastructure: retried, never scored). Writes pass@1, pass@k, SWE-bench reports and an HTML report. Exit 0 when every sample was graded, 3 when some ended in error.")
        {
            taskSet, output, resume, predictions, samples, role, select, selectTests, infcodeRounds, retries, parallel, repos, timeout, noInstall, json,
        };
        foreach (var option in model.All.Concat(environment.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var overrides = environment.Overrides(result);
            var set = await UsageAsync(() => TaskSet.ReadAsync(result.GetValue(taskSet)!, cancellationToken)).ConfigureAwait(false);
            if (set.Tasks.Count == 0)
            {
                throw new ArgumentException($"the task set '{set.Path}' holds no instance");
            }

            var selectors = result.GetValue(select) is { } list ? Sparring.Selection.Selectors.Parse(list) : [];
            var files = result.GetValue(predictions) ?? [];
            var writer = result.GetValue(role) == Sparring.Solving.TestWriterAgent.Role;
            if (result.GetValue(role) is not ("solver" or Sparring.Solving.TestWriterAgent.Role))
            {
                throw new ArgumentException($"--role must be solver or {Sparring.Solving.TestWriterAgent.Role}, got '{result.GetValue(role)}'");
            }

            if (writer && selectors.Count > 0)
            {
                throw new ArgumentException("--select chooses among fixes: it does not apply to --role test-writer");
            }
            if (writer && files.Length > 0)
            {
                throw new ArgumentException("--role test-writer runs an LLM agent: it does not take --predictions");
            }
            var directory = Path.GetFullPath(result.GetValue(output)!);
            var sources = Sources(result.GetValue(repos) ?? []);
            PredictionsPolicy? scored = null;
            Sparring.Agents.AgentRoleOptions? roles = null;
            Microsoft.Extensions.AI.IChatClient? client = null;
            int count;
            var needsModel = selectors.Any(s => s != Sparring.Selection.SweSwissSelector.Name);
            if (files.Length > 0)
            {
                if (!needsModel && (result.GetValue(model.Url) is not null || result.GetValue(model.Replay) is not null))
                {
                    throw new ArgumentException("--predictions scores existing patches: it does not take --model-url or --replay (only for --select kimi-dev, hybrid or infcode, whose test writer, verifier and solver need a model)");
                }

                if (needsModel)
                {
                    roles = model.RoleOptions(result);
                    client = await model.ClientAsync(result, cancellationToken).ConfigureAwait(false);
                }

                scored = await UsageAsync(() => PredictionsPolicy.ReadAsync([.. files.Select(Path.GetFullPath)], cancellationToken)).ConfigureAwait(false);
                count = result.GetValue(samples) ?? scored.Samples;
                if (count != scored.Samples)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--samples {count} with {scored.Samples} predictions file(s): give one file per sample"));
                }
            }
            else
            {
                count = result.GetValue(samples) ?? 1;
                if (count < 1)
                {
                    throw new ArgumentException("--samples must be at least 1");
                }

                roles = model.RoleOptions(result);
                client = await model.ClientAsync(result, cancellationToken).ConfigureAwait(false);
            }

            var start = new EvalStart(set.Path, scored?.Name ?? (roles!.Model ?? "unknown") + (writer ? "." + Sparring.Solving.TestWriterAgent.Role : ""), count, [.. files.Select(Path.GetFullPath)]);
            await CheckStartAsync(directory, start, result.GetValue(resume), cancellationToken).ConfigureAwait(false);
            try
            {
                var sandboxes = await Preflight.SandboxAsync(console, environment.Sandbox.Choice(result), cancellationToken).ConfigureAwait(false);
                IEvalPolicy policy = scored is not null ? scored : writer ? new TestWriterPolicy(sandboxes, client!, roles!) : new AgentPolicy(sandboxes, client!, roles!);
                var grading = new GradeOptions { ScriptTimeout = EnvironmentCommandOptions.RunTimeout(result, timeout, overrides, 300) }.Validate();
                var environments = new ConcurrentDictionary<string, Lazy<Task<PreparedEnvironment>>>(StringComparer.Ordinal);
                var install = !result.GetValue(noInstall);
                var workspaces = environment.Workspace.Options(result);
                // One preparation at a time: each may install toolchains with apt-get, which takes dpkg's lock.
                using var preparing = new SemaphoreSlim(1, 1);
                Task<PreparedEnvironment> PrepareAsync(string root, string commit, CancellationToken token)
                {
                    var lazy = environments.GetOrAdd(commit, c => new Lazy<Task<PreparedEnvironment>>(async () =>
                    {
                        await preparing.WaitAsync(token).ConfigureAwait(false);
                        try
                        {
                            var repository = await GitRepository.OpenAsync(root, token).ConfigureAwait(false);
                            return await RepositoryEnvironment.PrepareAsync(console, sandboxes, repository, c, overrides, install, token, workspaces).ConfigureAwait(false);
                        }
                        finally
                        {
                            preparing.Release();
                        }
                    }));
                    return Forget(environments, commit, lazy);
                }

                var options = new EvalOptions { Samples = count, Retries = result.GetValue(retries), Parallel = result.GetValue(parallel), Sources = sources, Grading = grading, Selectors = selectors, InfCodeRounds = result.GetValue(infcodeRounds), Role = result.GetValue(role)! }.Validate();
                await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"sparring: eval: {set.Tasks.Count} instance(s) from {set.Path} ({set.Format}), {count} sample(s) each, policy {policy.Name}, into {directory}")).ConfigureAwait(false);
                var tests = result.GetValue(selectTests) ?? count;
                if (tests < 1)
                {
                    throw new ArgumentException("--select-tests must be at least 1");
                }

                var runner = new EvalRunner(sandboxes, PrepareAsync, policy, options)
                {
                    OnProgress = line => console.Error.WriteLine($"sparring: eval: {line}"),
                    SelectionModel = needsModel && client is not null ? new Sparring.Evaluation.SelectionModel(client, roles!, tests) : null,
                };
                var journal = await runner.RunAsync(set.Tasks, directory, cancellationToken).ConfigureAwait(false);
                var summary = EvalReports.Summarize(set.Path, set.Format, policy.Name, count, set.Tasks, journal, runner.Selections);
                await EvalReports.WriteAsync(directory, summary, set.Tasks, journal, scored is null ? null : scored.Submitted, cancellationToken).ConfigureAwait(false);
                if (result.GetValue(json))
                {
                    await console.Out.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Default.EvalSummary)).ConfigureAwait(false);
                }
                else
                {
                    await PrintAsync(console, summary, directory).ConfigureAwait(false);
                }

                return summary.ErrorSamples > 0 ? ExitCodes.SuiteDidNotRun : ExitCodes.Success;
            }
            finally
            {
                (client as IDisposable)?.Dispose();
            }
        }));
        return command;
    }

    /// <summary>A malformed input file is the user's to fix (exit 2), not a suite that did not run.</summary>
    private static async Task<T> UsageAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }

    /// <summary>A failed preparation is not remembered: the next try prepares again.</summary>
    private static async Task<PreparedEnvironment> Forget(ConcurrentDictionary<string, Lazy<Task<PreparedEnvironment>>> cache, string key, Lazy<Task<PreparedEnvironment>> lazy)
    {
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            cache.TryRemove(new KeyValuePair<string, Lazy<Task<PreparedEnvironment>>>(key, lazy));
            throw;
        }
    }

    private static Dictionary<string, string> Sources(string[] values)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var scheme = value.IndexOf("://", StringComparison.Ordinal);
            var (name, source) = equals > 0 && (scheme < 0 || equals < scheme) ? (value[..equals], value[(equals + 1)..]) : ("*", value);
            if (source.Length == 0)
            {
                throw new ArgumentException($"--repo '{value}' names no path or URL");
            }

            // A local path is made absolute here: git runs in the evaluation's own repository.
            var resolved = source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal) ? source : Path.GetFullPath(source);
            if (!source.Contains("://", StringComparison.Ordinal) && !source.StartsWith("git@", StringComparison.Ordinal) && !Directory.Exists(resolved) && !File.Exists(resolved))
            {
                throw new DirectoryNotFoundException($"--repo '{value}': '{resolved}' does not exist");
            }

            if (!sources.TryAdd(name, resolved))
            {
                throw new ArgumentException($"--repo names '{name}' twice");
            }
        }

        return sources;
    }

    /// <summary>A new evaluation needs an empty folder; a resumed one the same task set, policy and samples.</summary>
    private static async Task CheckStartAsync(string directory, EvalStart start, bool resume, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, StartFile);
        if (!File.Exists(path))
        {
            if (resume)
            {
                throw new ArgumentException($"--resume: '{directory}' holds no evaluation");
            }

            if (HasResults(directory))
            {
                throw new ArgumentException($"'{directory}' already holds evaluation results: add --resume, or choose another --out");
            }

            await Sparring.Internal.AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(start, CliJsonContext.Default.EvalStart), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!resume)
        {
            if (!HasResults(directory))
            {
                // A start refused before anything was graded (a missing --repo, a bad option) is started again as asked.
                await Sparring.Internal.AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(start, CliJsonContext.Default.EvalStart), cancellationToken).ConfigureAwait(false);
                return;
            }

            throw new ArgumentException($"'{directory}' already holds an evaluation: add --resume to continue it, or choose another --out");
        }

        EvalStart? stored;
        try
        {
            stored = JsonSerializer.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), CliJsonContext.Default.EvalStart);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"--resume: {path} is damaged ({ex.Message}); start the evaluation in a new --out", ex);
        }

        if (stored is null)
        {
            throw new ArgumentException($"--resume: {path} is empty; start the evaluation in a new --out");
        }

        if (stored.TaskSet != start.TaskSet || stored.Policy != start.Policy || stored.Samples != start.Samples || !stored.Predictions.SequenceEqual(start.Predictions))
        {
            throw new ArgumentException($"--resume: '{directory}' was started on {stored.TaskSet} with policy {stored.Policy} and {stored.Samples} sample(s); give the same task set, policy and samples");
        }
    }

    private static bool HasResults(string directory) =>
        new FileInfo(Path.Combine(directory, EvalRunner.JournalFile)) is { Exists: true, Length: > 0 };

    private static async Task PrintAsync(CliConsole console, EvalSummary summary, string directory)
    {
        foreach (var instance in summary.InstanceResults)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{instance.Id}  {string.Join(' ', instance.Samples.Select(s => s.Outcome.Value))}  pass@1 {(instance.PassAt1 is { } p ? p.ToString("0.###", CultureInfo.InvariantCulture) : "-")}  {instance.Seconds:0.0} s  {instance.Tokens} tokens")).ConfigureAwait(false);
        }

        foreach (var selector in summary.Selection)
        {
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"select {selector.Selector}: {selector.ResolvedInstances}/{summary.Instances} instances resolved  resolve rate {selector.ResolveRate:0.###}  ({selector.SelectedInstances} chosen)")).ConfigureAwait(false);
        }

        var passAtK = string.Join("  ", summary.PassAtKs.Select(p => $"pass@{p.Key} {(p.Value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-")}"));
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{summary.ResolvedInstances}/{summary.Instances} instances resolved  resolve rate {summary.ResolveRate:0.###}  {passAtK}  samples: {summary.ResolvedSamples} resolved, {summary.UnresolvedSamples} unresolved, {summary.ErrorSamples} error ({directory})")).ConfigureAwait(false);
    }
}
