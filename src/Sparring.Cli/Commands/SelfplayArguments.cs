using System.CommandLine;
using Sparring.Runs;

namespace Sparring.Cli.Commands;

/// <summary>
/// The options of <c>selfplay</c>: one set per command, so <c>worker</c> can parse a run's stored arguments with a
/// selfplay command of its own.
/// </summary>
internal sealed class SelfplayArguments
{
    private static readonly SelfPlayOptions Defaults = new();

    public Argument<string?> Repo { get; } = new("repo") { Description = "The repository to play on (not needed with --resume).", Arity = ArgumentArity.ZeroOrOne };

    public Option<int> Rounds { get; } = new("--rounds") { Description = "Rounds of inject → solve → reward.", DefaultValueFactory = _ => Defaults.Rounds };

    public Option<int> Bugs { get; } = new("--bugs-per-round") { Description = "Valid bugs the injector is asked for per round.", DefaultValueFactory = _ => Defaults.BugsPerRound };

    public Option<int> Attempts { get; } = new("--attempts") { Description = "Solver attempts per valid bug (the RL group size).", DefaultValueFactory = _ => Defaults.Attempts };

    public Option<string> Injector { get; } = new("--injector") { Description = "procedural, llm, or mix (odd rounds procedural, even rounds the agent).", DefaultValueFactory = _ => Defaults.Injector };

    public Option<string> Solver { get; } = new("--solver") { Description = "search (the mutation-search solver) or llm.", DefaultValueFactory = _ => Defaults.Solver };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the injectors and the search solver: the same seed gives the same run.", DefaultValueFactory = _ => Defaults.Seed };

    public Option<string?> Output { get; } = new("--out") { Description = "The run directory (default runs/<repo>-seed<S>, numbered -2, -3, … when taken)." };

    public Option<string?> Resume { get; } = new("--resume") { Description = "Resume the run in this directory with the options it was started with." };

    public Option<int> Budget { get; } = new("--budget") { Description = "Test runs per attempt of the search solver.", DefaultValueFactory = _ => Defaults.SearchBudget };

    public Option<int> PrepareWorkers { get; } = new("--prepare-workers") { Description = "Attempts whose workspace and sandbox are set up at once.", DefaultValueFactory = _ => Defaults.Stages.Prepare };

    public Option<int> SolveWorkers { get; } = new("--solve-workers") { Description = "Solver episodes at once (model calls wait on the server: may exceed the cores).", DefaultValueFactory = _ => Defaults.Stages.Solve };

    public Option<int> GradeWorkers { get; } = new("--grade-workers") { Description = "Grading test runs at once.", DefaultValueFactory = _ => Defaults.Stages.Grade };

    public Option<int> MaxCandidates { get; } = new("--max-candidates") { Description = "Candidates (procedural) or episodes (agent) per strategy and round.", DefaultValueFactory = _ => Defaults.MaxCandidatesPerStrategy };

    public Option<int> PolicyVersion { get; } = new("--policy-version") { Description = "The version of the policy that plays (the trainer's update counter), recorded for exports.", DefaultValueFactory = _ => Defaults.PolicyVersion };

    public Option<bool> Json { get; } = new("--json") { Description = "Print summary.json on stdout at the end." };

    public Option<string?> Store { get; } = new("--store")
    {
        HelpName = "URL",
        Description = "Keep the run in this PostgreSQL database (postgresql://USER@HOST:PORT/DB, or Npgsql keywords; the password from PGPASSWORD or .pgpass) instead of SQLite in the run directory, which then names it in store.json. Such a run is shared: sparring worker --run RUN_DIR adds workers.",
    };

    public Option<int> Lease { get; } = LeaseOption("With --store: seconds a unit of work stays leased without renewal, so a killed worker's unit goes to another after this long.");

    public Option<string?> Commit { get; } = new("--commit") { Description = "Commit to play on (default HEAD, fixed at the first start)." };

    public Option<bool> NoInstall { get; } = new("--no-install") { Description = "Never apt-get install missing toolchains." };

    public Option<double> MinParsedShare { get; } = MinParsedShareOption.Create();

    public ModelCommandOptions Model { get; } = new();

    public EnvironmentCommandOptions Environment { get; } = new();

    /// <summary>A <c>selfplay</c> command with these options and no action.</summary>
    public Command NewCommand()
    {
        var command = new Command("selfplay", "The self-play loop: each round injects bugs, validates them, runs solver attempts, grades them, rewards both roles and turns failed attempts into order-2 bugs. Resumable; ends with summary.json and report.html.")
        {
            Repo, Rounds, Bugs, Attempts, Injector, Solver, Seed, Output, Resume, Budget, PrepareWorkers, SolveWorkers, GradeWorkers, MaxCandidates, PolicyVersion, MinParsedShare, Json, Commit, NoInstall, Store, Lease,
        };
        foreach (var option in Model.All.Where(o => o != Model.Record && o != Model.Replay).Concat(Environment.All))
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <summary><c>--lease SECONDS</c>: how long a worker's unit stays leased without renewal (a run kept in PostgreSQL).</summary>
    public static Option<int> LeaseOption(string description) => new("--lease")
    {
        HelpName = "SECONDS",
        Description = description,
        DefaultValueFactory = _ => (int)new WorkerOptions { WorkerId = "-" }.Lease.TotalSeconds,
    };
}
