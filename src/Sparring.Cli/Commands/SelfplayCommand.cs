using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.Runs;
using Sparring.Store;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring selfplay REPO</c>: the self-play loop, recorded in a resumable run directory.</summary>
internal static class SelfplayCommand
{
    /// <summary>The run's arguments, stored at its first start so <c>--resume</c> replays them exactly.</summary>
    private const string ArgumentsKey = "arguments";

    /// <summary>The environment settings (file and command line) at the first start, as TOML: a resumed run uses them, whatever the file says now.</summary>
    private const string SettingsKey = "environment-settings";

    public static Command Create(CliConsole console)
    {
        var defaults = new SelfPlayOptions();
        var repo = new Argument<string?>("repo") { Description = "The repository to play on (not needed with --resume).", Arity = ArgumentArity.ZeroOrOne };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of inject → solve → reward.", DefaultValueFactory = _ => defaults.Rounds };
        var bugs = new Option<int>("--bugs-per-round") { Description = "Valid bugs the injector is asked for per round.", DefaultValueFactory = _ => defaults.BugsPerRound };
        var attempts = new Option<int>("--attempts") { Description = "Solver attempts per valid bug (the RL group size).", DefaultValueFactory = _ => defaults.Attempts };
        var injector = new Option<string>("--injector") { Description = "procedural, llm, or mix (odd rounds procedural, even rounds the agent).", DefaultValueFactory = _ => defaults.Injector };
        var solver = new Option<string>("--solver") { Description = "search (the mutation-search solver) or llm.", DefaultValueFactory = _ => defaults.Solver };
        var seed = new Option<int>("--seed") { Description = "Seed of the injectors and the search solver: the same seed gives the same run.", DefaultValueFactory = _ => defaults.Seed };
        var output = new Option<string?>("--out") { Description = "The run directory (default runs/<repo>-seed<S>, numbered -2, -3, … when taken)." };
        var resume = new Option<string?>("--resume") { Description = "Resume the run in this directory with the options it was started with." };
        var budget = new Option<int>("--budget") { Description = "Test runs per attempt of the search solver.", DefaultValueFactory = _ => defaults.SearchBudget };
        var prepareWorkers = new Option<int>("--prepare-workers") { Description = "Attempts whose workspace and sandbox are set up at once.", DefaultValueFactory = _ => defaults.Stages.Prepare };
        var solveWorkers = new Option<int>("--solve-workers") { Description = "Solver episodes at once (model calls wait on the server: may exceed the cores).", DefaultValueFactory = _ => defaults.Stages.Solve };
        var gradeWorkers = new Option<int>("--grade-workers") { Description = "Grading test runs at once.", DefaultValueFactory = _ => defaults.Stages.Grade };
        var maxCandidates = new Option<int>("--max-candidates") { Description = "Candidates (procedural) or episodes (agent) per strategy and round.", DefaultValueFactory = _ => defaults.MaxCandidatesPerStrategy };
        var policyVersion = new Option<int>("--policy-version") { Description = "The version of the policy that plays (the trainer's update counter), recorded for exports.", DefaultValueFactory = _ => defaults.PolicyVersion };
        var json = new Option<bool>("--json") { Description = "Print summary.json on stdout at the end." };
        var store = new Option<string?>("--store")
        {
            HelpName = "URL",
            Description = "Keep the run in this PostgreSQL database (postgresql://USER@HOST:PORT/DB, or Npgsql keywords; the password from PGPASSWORD or .pgpass) instead of SQLite in the run directory, which then names it in store.json.",
        };
        var commit = new Option<string?>("--commit") { Description = "Commit to play on (default HEAD, fixed at the first start)." };
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var minParsedShare = MinParsedShareOption.Create();
        var model = new ModelCommandOptions();
        var environment = new EnvironmentCommandOptions();
        var command = new Command("selfplay", "The self-play loop: each round injects bugs, validates them, runs solver attempts, grades them, rewards both roles and turns failed attempts into order-2 bugs. Resumable; ends with summary.json and report.html.")
        {
            repo, rounds, bugs, attempts, injector, solver, seed, output, resume, budget, prepareWorkers, solveWorkers, gradeWorkers, maxCandidates, policyVersion, minParsedShare, json, commit, noInstall, store,
        };
        foreach (var option in model.All.Where(o => o != model.Record && o != model.Replay).Concat(environment.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            string directory;
            ParseResult run;
            string? storedSettings = null;
            if (result.GetValue(resume) is { } resumed)
            {
                directory = Path.GetFullPath(resumed);
                if (!RunStores.Exists(directory))
                {
                    throw new DirectoryNotFoundException($"'{resumed}' holds no run to resume (no {SqliteRunStore.DatabaseFile} or {RunStores.LocationFile}).");
                }

                await using var peek = await RunStores.OpenAsync(directory, null, cancellationToken).ConfigureAwait(false);
                var stored = await peek.GetMetaAsync(ArgumentsKey, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"the run in '{resumed}' has no stored arguments");
                run = command.Parse(JsonSerializer.Deserialize(stored, CliJsonContext.Default.StringArray)!);
                storedSettings = await peek.GetMetaAsync(SettingsKey, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var path = result.GetValue(repo) ?? throw new ArgumentException("selfplay needs a repository (or --resume RUN_DIR)");
                if (result.GetValue(output) is { } chosen)
                {
                    directory = Path.GetFullPath(chosen);
                }
                else
                {
                    // The default name never collides with an earlier run: runs/<repo>-seed<S>, -2, -3, …
                    var stem = Path.GetFullPath(Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.GetFullPath(path).TrimEnd('/'))}-seed{result.GetValue(seed)}")));
                    directory = stem;
                    for (var n = 2; RunStores.Exists(directory); n++)
                    {
                        directory = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
                    }
                }

                if (RunStores.Exists(directory))
                {
                    throw new ArgumentException($"'{directory}' already holds a run: resume it with --resume {directory}, or choose another --out");
                }

                run = result;
            }

            // A resumed run has its settings already; its stored options are not read again (a relative path may differ now).
            var overrides = storedSettings is null ? environment.Overrides(run) : EnvironmentSettings.None;
            var options = new SelfPlayOptions
            {
                Rounds = run.GetValue(rounds),
                BugsPerRound = run.GetValue(bugs),
                Attempts = run.GetValue(attempts),
                Injector = run.GetValue(injector)!,
                Solver = run.GetValue(solver)!,
                Seed = run.GetValue(seed),
                SearchBudget = run.GetValue(budget),
                Stages = new StageOptions { Prepare = run.GetValue(prepareWorkers), Solve = run.GetValue(solveWorkers), Grade = run.GetValue(gradeWorkers) },
                MaxCandidatesPerStrategy = run.GetValue(maxCandidates),
                PolicyVersion = run.GetValue(policyVersion),
                Baseline = new BaselineRequirements { MinParsedShare = run.GetValue(minParsedShare) },
                Agents = run.GetValue(solver) == "llm" || run.GetValue(injector) != "procedural" ? model.RoleOptions(run) : new(),
            }.Validate();
            using var client = options.Solver == "llm" || options.Injector != "procedural" ? await model.ClientAsync(run, cancellationToken).ConfigureAwait(false) : null;
            var repositoryPath = run.GetValue(repo)!;
            var repository = await GitRepository.OpenAsync(repositoryPath, cancellationToken).ConfigureAwait(false);
            var settings = storedSettings is not null
                ? EnvironmentSettingsFile.Parse(storedSettings, Path.Combine(directory, SqliteRunStore.DatabaseFile) + " (" + SettingsKey + ")")
                : await environment.ResolveAsync(run, overrides, repository.Root, console, cancellationToken).ConfigureAwait(false);
            var (sandboxes, prepared, _) = await RepositoryEnvironment.PrepareAsync(console, repository, run.GetValue(commit), settings, !run.GetValue(noInstall), cancellationToken, environment.Workspace.Options(run), environment.Sandbox.Choice(run) with { RunLabel = Path.GetFileName(directory) }).ConfigureAwait(false);
            // Checked before the run directory is made: a refused run leaves nothing to clean up (the runner checks again, from the cache).
            await BaselineGuard.RequireAsync(sandboxes, prepared, options.Baseline, new ValidationOptions().ScriptTimeout, cancellationToken).ConfigureAwait(false);
            await using var runStore = await RunStores.OpenAsync(directory, result.GetValue(resume) is null ? result.GetValue(store) : null, cancellationToken).ConfigureAwait(false);
            await runStore.SetMetaOnceAsync(SettingsKey, EnvironmentSettingsFile.Format(settings, []), cancellationToken).ConfigureAwait(false);
            await runStore.SetMetaOnceAsync(ArgumentsKey, JsonSerializer.Serialize(StoredArguments(run, repositoryPath, prepared.Snapshot.Commit), CliJsonContext.Default.StringArray), cancellationToken).ConfigureAwait(false);
            await console.Error.WriteLineAsync($"sparring: selfplay: run directory {directory}").ConfigureAwait(false);
            SelfPlayRunner? runner = null;
            RunSummary summary;
            await using (var progress = new LiveProgress(console, "sparring: selfplay: ", () => Status(runner!.Status)))
            {
                runner = new SelfPlayRunner(sandboxes, options, client) { OnProgress = progress.Line };
                summary = await runner.RunAsync(prepared, repository, runStore, cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(summary, RunsJsonContext.Default.RunSummary)).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, summary, directory).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The arguments to replay on resume: the repository made absolute, the commit fixed, no secrets.</summary>
    private static string[] StoredArguments(ParseResult run, string repositoryPath, string commit)
    {
        var tokens = run.Tokens.Select(t => t.Value).ToList();
        var stored = new List<string> { Path.GetFullPath(repositoryPath) };
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is "--api-key" or "--resume" or "--commit" or "--json" or "--store")
            {
                i += tokens[i] == "--json" ? 0 : 1;
                continue;
            }

            if (tokens[i] == repositoryPath || tokens[i] == "selfplay")
            {
                continue;
            }

            stored.Add(tokens[i]);
        }

        stored.AddRange(["--commit", commit]);
        return [.. stored];
    }

    /// <summary>The status line: round, queues, bugs and rejections, solve rate and rewards.</summary>
    private static string Status(SelfPlayStatus status)
    {
        var q = status.Queues;
        var s = status.Summary;
        var attempts = (s?.Attempts ?? 0) + status.AttemptsThisRound;
        var solved = (s?.Solved ?? 0) + status.SolvedThisRound;
        var tampered = (s?.Tampered ?? 0) + status.TamperedThisRound;
        var rejected = s is null || s.RejectedByCheck.Count == 0 ? "none" : string.Join(", ", s.RejectedByCheck.OrderByDescending(r => r.Value).Take(3).Select(r => $"{r.Key} {r.Value}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"round {status.Round}/{status.Rounds} | queue: {q.Waiting} waiting, {q.Preparing + q.QueuedForSolver} preparing, {q.Solving} solving, {q.QueuedForGrading + q.Grading} grading | bugs {s?.Valid ?? 0} valid, rejected {rejected} | solved {solved}/{attempts}{(tampered > 0 ? $" ({tampered} tampered)" : "")} | reward solver {s?.MeanReward["solver"] ?? 0:0.00} injector {s?.MeanReward["injector"] ?? 0:0.00}");
    }

    private static async Task PrintAsync(TextWriter output, RunSummary s, string directory)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"rounds {s.Rounds}  bugs tried {s.BugsTried}  valid {s.Valid}  attempts {s.Attempts}  solved {s.Solved} ({s.SolveRate:0.###}){(s.Tampered > 0 ? $"  tampered {s.Tampered}" : "")}")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"mean reward: solver {s.MeanReward["solver"]:0.###}, injector {s.MeanReward["injector"]:0.###}")).ConfigureAwait(false);
        if (s.RejectedByCheck.Count > 0)
        {
            await output.WriteLineAsync("rejected: " + string.Join(", ", s.RejectedByCheck.Select(r => $"{r.Key} {r.Value}"))).ConfigureAwait(false);
        }

        foreach (var g in s.ByStrategy)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {g.Strategy,-14} order {g.Order}  {g.Bugs} bug(s)  {g.Solved}/{g.Attempts} solved{(g.Tampered > 0 ? $", {g.Tampered} tampered" : "")}")).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"time: {string.Join(", ", s.SecondsByStage.Select(t => $"{t.Key} {t.Value:0.0} s"))}")).ConfigureAwait(false);
        await output.WriteLineAsync($"{Path.Combine(directory, "summary.json")}, {Path.Combine(directory, "report.html")}").ConfigureAwait(false);
    }
}
