using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.Runs;
using Sparring.Sandboxes;
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

    /// <summary>How long a worker waits for a run that has named its store to store its arguments.</summary>
    private static readonly TimeSpan ArgumentsWait = TimeSpan.FromSeconds(60);

    public static Command Create(CliConsole console)
    {
        var a = new SelfplayArguments();
        var command = a.NewCommand();
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(a.Json), async () =>
        {
            if (result.GetValue(a.Resume) is { } resumed)
            {
                var (runDirectory, run, storedSettings) = await ReplayAsync(command, resumed, "resume", cancellationToken).ConfigureAwait(false);
                return await RunAsync(console, a, new RunRequest("selfplay", run, runDirectory, storedSettings, null, result.GetValue(a.Json)), cancellationToken).ConfigureAwait(false);
            }

            var path = result.GetValue(a.Repo) ?? throw new ArgumentException("selfplay needs a repository (or --resume RUN_DIR)");
            string directory;
            if (result.GetValue(a.Output) is { } chosen)
            {
                directory = Path.GetFullPath(chosen);
            }
            else
            {
                // The default name never collides with an earlier run: runs/<repo>-seed<S>, -2, -3, …
                var stem = Path.GetFullPath(Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.GetFullPath(path).TrimEnd('/'))}-seed{result.GetValue(a.Seed)}")));
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

            return await RunAsync(console, a, new RunRequest("selfplay", result, directory, null, result.GetValue(a.Store), result.GetValue(a.Json)), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary><c>sparring worker --run RUN_DIR</c>: one more worker on a run kept in PostgreSQL, with the options it was started with.</summary>
    public static Command CreateWorker(CliConsole console)
    {
        var a = new SelfplayArguments();
        var replay = a.NewCommand();
        var runDirectory = new Option<string>("--run") { HelpName = "RUN_DIR", Required = true, Description = $"The run directory of a run started with selfplay --store (it names the store in {RunStores.LocationFile}); on several machines, the same shared folder on each." };
        var parallel = new Option<int>("--parallel") { Description = "Units this worker does at once.", DefaultValueFactory = _ => 1 };
        var lease = SelfplayArguments.LeaseOption("Seconds a unit of work stays leased without renewal, so a killed worker's unit goes to another after this long.");
        var json = new Option<bool>("--json") { Description = "Print summary.json on stdout at the end." };
        var sandbox = new SandboxCommandOptions();
        var command = new Command("worker", "One more worker on a self-play run kept in PostgreSQL (selfplay --store): it leases the run's units of work (inject, solve, reward) with the other workers, on this machine or others, until the run is done. A worker killed mid-unit loses nothing: its lease expires and another worker does the unit, once.")
        {
            runDirectory, parallel, lease, json,
        };
        foreach (var option in sandbox.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var given = result.GetValue(runDirectory)!;
            if (SqliteRunStore.Exists(Path.GetFullPath(given)))
            {
                // Refused before anything is opened or prepared (a running SQLite run is locked by its process).
                throw new ArgumentException(SqliteRunRefusal(Path.GetFullPath(given)));
            }

            var (directory, run, storedSettings) = await ReplayAsync(replay, given, "work on", cancellationToken).ConfigureAwait(false);
            // The worker's own engines when it names them: workers on other machines have other engines.
            var ownSandbox = result.Tokens.Any(t => sandbox.All.Any(o => o.Name == t.Value || o.Aliases.Contains(t.Value))) ? sandbox.Choice(result) : null;
            var worker = new WorkerOptions { WorkerId = WorkerId(), Parallel = result.GetValue(parallel), Lease = TimeSpan.FromSeconds(result.GetValue(lease)) }.Validate();
            return await RunAsync(console, a, new RunRequest("worker", run, directory, storedSettings, null, result.GetValue(json)) { Worker = worker, Sandbox = ownSandbox }, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>
    /// The <c>sparring.run</c> label of a run's containers: the run directory's name and a hash of its full path, so two
    /// runs of the same name in different folders never share (or remove) each other's containers.
    /// </summary>
    internal static string RunLabelOf(string directory) =>
        $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(directory))))[..8]}";

    private static string SqliteRunRefusal(string directory) =>
        $"'{directory}' holds a run in SQLite, which one process keeps; workers share a run kept in PostgreSQL (selfplay --store postgresql://…)";

    /// <summary>This process's worker id: host, process id and start time, unique among the workers of a run.</summary>
    private static string WorkerId()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}-{self.StartTime.ToUniversalTime():HHmmssfff}");
    }

    /// <summary>The stored arguments of the run in <paramref name="given"/>, parsed again, and its stored environment settings.</summary>
    private static async Task<(string Directory, ParseResult Run, string? Settings)> ReplayAsync(Command command, string given, string verb, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(given);
        if (!RunStores.Exists(directory))
        {
            throw new DirectoryNotFoundException($"'{given}' holds no run to {verb} (no {SqliteRunStore.DatabaseFile} or {RunStores.LocationFile}).");
        }

        await using var peek = await RunStores.OpenAsync(directory, null, cancellationToken).ConfigureAwait(false);
        var stored = await peek.GetMetaAsync(ArgumentsKey, cancellationToken).ConfigureAwait(false);
        // A worker started with the run may come before the run has stored its arguments (it names its store first).
        for (var waited = TimeSpan.Zero; stored is null && peek is PostgresRunStore && waited < ArgumentsWait; waited += TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            stored = await peek.GetMetaAsync(ArgumentsKey, cancellationToken).ConfigureAwait(false);
        }

        if (stored is null)
        {
            throw new InvalidDataException($"the run in '{given}' has no stored arguments");
        }

        return (directory, command.Parse(JsonSerializer.Deserialize(stored, CliJsonContext.Default.StringArray)!), await peek.GetMetaAsync(SettingsKey, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Runs (or resumes, or joins as a worker) the run of <paramref name="request"/>: alone in this process with SQLite,
    /// through the work leases with PostgreSQL.
    /// </summary>
    private static async Task<int> RunAsync(CliConsole console, SelfplayArguments a, RunRequest request, CancellationToken cancellationToken)
    {
        var (verb, run, directory, storedSettings, newStore, json) = request;
        var worker = request.Worker;
        // A resumed run has its settings already; its stored options are not read again (a relative path may differ now).
        var overrides = storedSettings is null ? a.Environment.Overrides(run) : EnvironmentSettings.None;
        var options = new SelfPlayOptions
        {
            Rounds = run.GetValue(a.Rounds),
            BugsPerRound = run.GetValue(a.Bugs),
            Attempts = run.GetValue(a.Attempts),
            Injector = run.GetValue(a.Injector)!,
            Solver = run.GetValue(a.Solver)!,
            Seed = run.GetValue(a.Seed),
            SearchBudget = run.GetValue(a.Budget),
            Stages = new StageOptions { Prepare = run.GetValue(a.PrepareWorkers), Solve = run.GetValue(a.SolveWorkers), Grade = run.GetValue(a.GradeWorkers) },
            MaxCandidatesPerStrategy = run.GetValue(a.MaxCandidates),
            PolicyVersion = run.GetValue(a.PolicyVersion),
            Baseline = new BaselineRequirements { MinParsedShare = run.GetValue(a.MinParsedShare) },
            Agents = run.GetValue(a.Solver) == "llm" || run.GetValue(a.Injector) != "procedural" ? a.Model.RoleOptions(run) : new(),
        }.Validate();
        using var client = options.Solver == "llm" || options.Injector != "procedural" ? await a.Model.ClientAsync(run, cancellationToken).ConfigureAwait(false) : null;
        var repositoryPath = run.GetValue(a.Repo)!;
        var repository = await GitRepository.OpenAsync(repositoryPath, cancellationToken).ConfigureAwait(false);
        var settings = storedSettings is not null
            ? EnvironmentSettingsFile.Parse(storedSettings, Path.Combine(directory, SqliteRunStore.DatabaseFile) + " (" + SettingsKey + ")")
            : await a.Environment.ResolveAsync(run, overrides, repository.Root, console, cancellationToken).ConfigureAwait(false);
        var sandbox = (request.Sandbox ?? a.Environment.Sandbox.Choice(run)) with { RunLabel = RunLabelOf(directory) };
        var (sandboxes, prepared, _) = await RepositoryEnvironment.PrepareAsync(console, repository, run.GetValue(a.Commit), settings, !run.GetValue(a.NoInstall), cancellationToken, a.Environment.Workspace.Options(run), sandbox).ConfigureAwait(false);
        // Checked before the run directory is made: a refused run leaves nothing to clean up (the runner checks again, from the cache).
        await BaselineGuard.RequireAsync(sandboxes, prepared, options.Baseline, new ValidationOptions().ScriptTimeout, cancellationToken).ConfigureAwait(false);
        await using var runStore = await RunStores.OpenAsync(directory, newStore, cancellationToken).ConfigureAwait(false);
        await runStore.SetMetaOnceAsync(SettingsKey, EnvironmentSettingsFile.Format(settings, []), cancellationToken).ConfigureAwait(false);
        await runStore.SetMetaOnceAsync(ArgumentsKey, JsonSerializer.Serialize(StoredArguments(run, repositoryPath, prepared.Snapshot.Commit), CliJsonContext.Default.StringArray), cancellationToken).ConfigureAwait(false);
        var shared = runStore as PostgresRunStore;
        if (worker is not null && shared is null)
        {
            throw new ArgumentException(SqliteRunRefusal(directory));
        }

        // A run in PostgreSQL is shared: this process is one of its workers, whichever verb started it.
        worker ??= shared is null ? null : new WorkerOptions { WorkerId = WorkerId(), Parallel = options.Stages.Solve, Lease = TimeSpan.FromSeconds(run.GetValue(a.Lease)) }.Validate();
        await console.Error.WriteLineAsync($"sparring: {verb}: run directory {directory}{(worker is null ? "" : $" (worker {worker.WorkerId})")}").ConfigureAwait(false);
        SelfPlayRunner? runner = null;
        RunSummary summary;
        await using (var progress = new LiveProgress(console, $"sparring: {verb}: ", () => Status(runner!.Status)))
        {
            runner = new SelfPlayRunner(sandboxes, options, client) { OnProgress = progress.Line };
            summary = worker is null
                ? await runner.RunAsync(prepared, repository, runStore, cancellationToken).ConfigureAwait(false)
                : await runner.WorkAsync(prepared, repository, runStore, shared!, worker, cancellationToken).ConfigureAwait(false);
        }

        if (worker is not null && sandboxes is DockerSandboxProvider docker)
        {
            // The run is done: no container of it has any use now, on any engine, whoever started it (a killed worker's,
            // say). Best effort: the run's results are in, and another finishing worker may be removing them too.
            try
            {
                var removed = await docker.RemoveRunAsync(sandbox.RunLabel!, cancellationToken).ConfigureAwait(false);
                if (removed > 0)
                {
                    await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sparring: {verb}: removed {removed} container(s) the run's workers left")).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await console.Error.WriteLineAsync($"sparring: {verb}: warning: could not remove the run's leftover containers ({ex.Message}); sparring sandboxes prune --run {sandbox.RunLabel} removes them").ConfigureAwait(false);
            }
        }

        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(summary, RunsJsonContext.Default.RunSummary)).ConfigureAwait(false);
        }
        else
        {
            await PrintAsync(console.Out, summary, directory).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>What to run: the verb (for messages), the run's options, its directory, and how this process takes part.</summary>
    /// <param name="Verb"><c>selfplay</c> or <c>worker</c>.</param>
    /// <param name="Run">The run's options: given now, or its stored arguments parsed again.</param>
    /// <param name="Directory">The run directory.</param>
    /// <param name="StoredSettings">The environment settings stored at the first start, or null at the first start.</param>
    /// <param name="NewStore">The PostgreSQL store a new run is kept in, or null.</param>
    /// <param name="Json">Print summary.json at the end.</param>
    private sealed record RunRequest(string Verb, ParseResult Run, string Directory, string? StoredSettings, string? NewStore, bool Json)
    {
        /// <summary>How this process works on a shared run (null: alone, or with default worker options when the store is shared).</summary>
        public WorkerOptions? Worker { get; init; }

        /// <summary>The sandboxes this process uses instead of the stored ones.</summary>
        public SandboxChoice? Sandbox { get; init; }
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
