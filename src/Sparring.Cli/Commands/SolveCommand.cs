using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Rewards;
using Sparring.Solving;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring solve REPO ARTIFACT</c>: K solver attempts on one bug artifact (an LLM agent or the mutation-search solver), each graded.</summary>
internal static class SolveCommand
{
    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "The repository the artifact was made for." };
        var artifactDir = new Argument<string>("artifact") { Description = "The bug artifact directory." };
        var solver = new Option<string>("--solver") { Description = "llm (an agent on --model-url) or search (the mutation-search solver, no model).", DefaultValueFactory = _ => "llm" };
        var attempts = new Option<int>("--attempts") { Description = "Solver attempts (the RL group size; SSR uses 8).", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Directory for attempt-<n>/ folders (trajectory.json, pred_patch.diff) and solve.json.", DefaultValueFactory = _ => "solve" };
        var budget = new Option<int>("--budget") { Description = "Test runs per attempt of the search solver.", DefaultValueFactory = _ => 30 };
        var role = new Option<string>("--role") { Description = "solver (fix the bug) or test-writer (an LLM agent writes a test reproducing it: reward 1 iff the test fails on the broken tree and passes on the fixed one).", DefaultValueFactory = _ => "solver" };
        var reward = new Option<string>("--reward") { Description = "Each attempt's reward in solve.json: binary (+1 solved, -1 otherwise) or similarity (SWE-RL: the difflib similarity of the patch to the bug's fix, -1 for no, malformed or tampered patches).", DefaultValueFactory = _ => SimilarityReward.Binary };
        var json = new Option<bool>("--json") { Description = "Print the attempts and the solve rate as JSON on stdout." };
        var commit = new Option<string?>("--commit") { Description = "Commit the artifact's diffs apply to (default: metadata.json's baseCommit, else HEAD)." };
        var timeout = EnvironmentCommandOptions.TimeoutOption("one run of test_script.sh when grading", 300);
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var model = new ModelCommandOptions();
        var environment = new EnvironmentCommandOptions();
        var command = new Command("solve", "Run solver attempts on a bug artifact and grade each: an LLM agent (native tool calls or text actions) or the mutation-search solver. Exit 0 if any attempt solved it, 1 if none.")
        {
            repo, artifactDir, solver, role, attempts, output, budget, reward, json, commit, timeout, noInstall,
        };
        foreach (var option in model.All.Concat(environment.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var overrides = environment.Overrides(result);
            var kind = result.GetValue(solver);
            if (kind is not ("llm" or "search"))
            {
                throw new ArgumentException($"--solver must be llm or search, got '{kind}'");
            }

            var roleName = result.GetValue(role)!;
            if (roleName is not ("solver" or TestWriterAgent.Role))
            {
                throw new ArgumentException($"--role must be solver or {TestWriterAgent.Role}, got '{roleName}'");
            }

            var writer = roleName == TestWriterAgent.Role;
            if (writer && kind != "llm")
            {
                throw new ArgumentException("--role test-writer needs an LLM agent (--solver llm): the search solver writes no tests");
            }

            if (writer && result.GetResult(reward) is { Implicit: false })
            {
                throw new ArgumentException("--reward is the solver's: a test writer's reward is fail→pass (1 or 0)");
            }

            var rewardKind = result.GetValue(reward)!;
            if (!SimilarityReward.Kinds.Contains(rewardKind))
            {
                throw new ArgumentException($"--reward must be {string.Join(" or ", SimilarityReward.Kinds)}, got '{rewardKind}'");
            }

            var count = result.GetValue(attempts);
            if (count < 1)
            {
                throw new ArgumentException("--attempts must be at least 1");
            }

            var artifact = await ValidateCommand.LoadArtifactAsync(result.GetValue(artifactDir)!, cancellationToken).ConfigureAwait(false);
            var roles = kind == "llm" ? model.RoleOptions(result) : null;
            var client = kind == "llm" ? await model.ClientAsync(result, cancellationToken).ConfigureAwait(false) : null;
            var outDir = Path.GetFullPath(result.GetValue(output)!);
            var (sandboxes, prepared, settings) = await RepositoryEnvironment.PrepareAsync(console, result, environment, overrides, result.GetValue(repo)!, result.GetValue(commit) ?? artifact.Metadata.BaseCommit, !result.GetValue(noInstall), cancellationToken).ConfigureAwait(false);
            var grading = new GradeOptions { ScriptTimeout = EnvironmentCommandOptions.RunTimeout(result, timeout, settings, 300) }.Validate();
            var done = new List<SolveAttempt>();
            var testWriter = writer ? new TestWriterAgent(sandboxes, client!, roles!) : null;
            var judge = new GeneratedTestJudge(sandboxes) { ScriptTimeout = grading.ScriptTimeout };
            try
            {
                for (var i = 1; i <= count; i++)
                {
                    var directory = Path.Combine(outDir, string.Create(CultureInfo.InvariantCulture, $"attempt-{i}"));
                    var attempt = testWriter is not null
                        ? await testWriter.WriteAsync(prepared, artifact, i, directory, judge, cancellationToken).ConfigureAwait(false)
                        : kind == "llm"
                        ? await new SolverAgent(sandboxes, client!, roles!) { Grading = grading }.SolveAsync(prepared, artifact, i, directory, cancellationToken).ConfigureAwait(false)
                        : await SearchAsync(sandboxes, prepared, artifact, i, directory, result.GetValue(budget), grading, console, cancellationToken).ConfigureAwait(false);
                    if (!writer)
                    {
                        attempt = await AttemptRewards.ApplyAsync(attempt, rewardKind, artifact, prepared.Snapshot.TreePath, cancellationToken).ConfigureAwait(false);
                    }

                    done.Add(attempt);
                    await console.Error.WriteLineAsync($"sparring: solve: {Line(attempt, writer)}").ConfigureAwait(false);
                    if (AgentExit.ServerUnusable(attempt.Exit, attempt.ExitDetail))
                    {
                        throw new CliEnvironmentException($"the model server cannot be used: {attempt.ExitDetail}");
                    }
                }
            }
            finally
            {
                (client as IDisposable)?.Dispose();
            }

            var report = new SolveReport
            {
                Artifact = artifact.Metadata.Id,
                Solver = kind!,
                Role = roleName,
                Reward = writer ? "fail-to-pass" : rewardKind,
                Attempts = done,
                Solved = done.Count(a => a.Solved),
                Tampered = done.Count(a => a.Tampered),
                SolveRate = Reward.SolveRate(done.Count(a => a.Solved), done.Count),
            };
            Directory.CreateDirectory(outDir);
            var text = JsonSerializer.Serialize(report, CliJsonContext.Default.SolveReport);
            await File.WriteAllTextAsync(Path.Combine(outDir, "solve.json"), text, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(text).ConfigureAwait(false);
            }
            else
            {
                foreach (var attempt in done)
                {
                    await console.Out.WriteLineAsync(Line(attempt, writer)).ConfigureAwait(false);
                }

                await console.Out.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture, $"{(writer ? "reproduced" : "solve rate")} {report.Solved}/{done.Count} = {report.SolveRate:0.###}{(report.Tampered > 0 ? $", {report.Tampered} tampered" : "")} ({outDir})")).ConfigureAwait(false);
            }

            return report.Solved > 0 ? ExitCodes.Success : ExitCodes.TestsFailed;
        }));
        return command;
    }

    private static string Line(SolveAttempt a, bool writer) => string.Create(
        CultureInfo.InvariantCulture,
        $"attempt {a.Attempt}  {(writer ? a.Solved ? "REPRODUCES" : "does not reproduce" : a.Solved ? "SOLVED" : a.Tampered ? "TAMPERED" : "not solved")}  exit {a.Exit}  {a.Turns} turns  {a.Tokens} tokens  {a.DurationMs / 1000:0.0} s{(a.Reward is { } r ? $"  reward {r:0.####}" : "")}{(a.TrajectoryPath is { } t ? "  " + t : "")}{(a.Solved || a.Reasons.Count == 0 ? "" : "  (" + a.Reasons[0] + ")")}");

    /// <summary>The mutation-search solver as one attempt: seed = attempt number, so attempts differ.</summary>
    private static async Task<SolveAttempt> SearchAsync(
        Sparring.Sandboxes.ISandboxProvider sandboxes, Sparring.Testing.PreparedEnvironment environment, BugArtifact artifact, int attempt, string directory, int budget, GradeOptions grading, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new MutationSearchOptions { Budget = budget, Seed = attempt, ScriptTimeout = grading.ScriptTimeout }.Validate();
        var solver = new MutationSearchSolver(sandboxes, options) { OnProgress = line => console.Error.WriteLine($"sparring: solve: search: {line}") };
        return await solver.SolveAsync(environment, artifact, attempt, directory, cancellationToken).ConfigureAwait(false);
    }
}
