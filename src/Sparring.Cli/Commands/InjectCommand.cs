using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.Solving;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring inject REPO</c>: procedural bug artifacts, each validated, with the yield per strategy.</summary>
internal static class InjectCommand
{
    /// <summary>The strategies <c>--strategy</c> knows, by name.</summary>
    private static readonly string[] Known = ["removal", "mutation", "history", "combine"];

    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "The repository to inject bugs into." };
        var strategy = new Option<string>("--strategy") { Description = $"Comma-separated strategies, tried in turn: {string.Join(", ", Known)}.", DefaultValueFactory = _ => "removal,mutation,history,combine" };
        var count = new Option<int>("--count") { Description = "Valid artifacts to write.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of every strategy: the same seed gives the same artifacts.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Directory for the artifacts, one subfolder each (<strategy>-<n>).", DefaultValueFactory = _ => "bugs" };
        var target = new Option<string?>("--target") { Description = "A file path or symbol name the bugs should go to." };
        var minFiles = new Option<int>("--min-changed-files") { Description = "Source files each artifact must change.", DefaultValueFactory = _ => 1 };
        var maxCandidates = new Option<int>("--max-candidates") { Description = "Candidates tried per strategy.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the yields as JSON on stdout." };
        var commit = new Option<string?>("--commit") { Description = "Commit to inject into (default HEAD)." };
        var rejectTrivial = new Option<bool>("--reject-trivial") { Description = "Drop valid bugs the mutation-search solver fixes within --trivial-budget test runs." };
        var trivialBudget = new Option<int>("--trivial-budget") { Description = "Test runs the mutation-search solver may spend on each bug under --reject-trivial.", DefaultValueFactory = _ => 10 };
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var minParsedShare = MinParsedShareOption.Create();
        var policy = new Option<string>("--policy") { Description = "procedural (no model) or llm (an injector agent on --model-url; strategies removal and history).", DefaultValueFactory = _ => "procedural" };
        var model = new ModelCommandOptions();
        var environment = new EnvironmentCommandOptions();
        var command = new Command("inject", "Make SSR bug artifacts, procedurally or with an LLM injector agent: each candidate's failing tests are deleted and the artifact validated; only valid ones are written.")
        {
            repo, strategy, count, seed, output, target, minFiles, maxCandidates, rejectTrivial, trivialBudget, minParsedShare, json, commit, noInstall, policy,
        };
        foreach (var option in model.All.Where(o => o != model.ToolSet).Concat(environment.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var overrides = environment.Overrides(result);
            var llm = result.GetValue(policy) switch
            {
                "procedural" => false,
                "llm" => true,
                var other => throw new ArgumentException($"--policy must be procedural or llm, got '{other}'"),
            };
            var given = result.GetResult(strategy) is { Implicit: false };
            var names = llm && !given ? [.. InjectorAgent.Strategies] : result.GetValue(strategy)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var known = llm ? InjectorAgent.Strategies : Known;
            var unknown = names.Where(n => !known.Contains(n, StringComparer.Ordinal)).ToList();
            if (names.Length == 0 || unknown.Count > 0)
            {
                throw new ArgumentException($"Unknown strategy {string.Join(", ", unknown.Select(u => $"'{u}'"))}{(llm ? " for --policy llm" : "")}; known: {string.Join(", ", known)}.");
            }

            if (llm)
            {
                var run = new AgentRun(
                    result.GetValue(repo)!, names.Distinct(StringComparer.Ordinal).ToList(), result.GetValue(count), result.GetValue(maxCandidates), result.GetValue(output)!,
                    result.GetValue(commit), !result.GetValue(noInstall), result.GetValue(minFiles), result.GetValue(minParsedShare), result.GetValue(json));
                return await InjectWithAgentAsync(console, result, model, environment, overrides, run, cancellationToken).ConfigureAwait(false);
            }

            var rejectsTrivial = result.GetValue(rejectTrivial);
            var searchBudget = result.GetValue(trivialBudget);
            if (searchBudget < 2)
            {
                throw new ArgumentException($"The trivial-bug search budget must be at least 2 test runs, got {searchBudget}.");
            }

            var options = new InjectorOptions
            {
                Count = result.GetValue(count),
                Seed = result.GetValue(seed),
                OutputDirectory = Path.GetFullPath(result.GetValue(output)!),
                Target = result.GetValue(target),
                MinChangedFiles = result.GetValue(minFiles),
                MaxCandidatesPerStrategy = result.GetValue(maxCandidates),
                Baseline = new BaselineRequirements { MinParsedShare = result.GetValue(minParsedShare) },
            }.Validate();
            var (sandboxes, prepared, settings) = await RepositoryEnvironment.PrepareAsync(console, result, environment, overrides, result.GetValue(repo)!, result.GetValue(commit), !result.GetValue(noInstall), cancellationToken).ConfigureAwait(false);
            if (settings.Timeout is { } limit)
            {
                options = options with { Validation = options.Validation with { ScriptTimeout = limit } };
            }

            var repository = await GitRepository.OpenAsync(result.GetValue(repo)!, cancellationToken).ConfigureAwait(false);
            var context = await Injector.CreateContextAsync(prepared, repository, options.Target, options.MinChangedFiles, cancellationToken: cancellationToken).ConfigureAwait(false);
            var injector = new Injector(sandboxes, options)
            {
                OnProgress = line => console.Error.WriteLine($"sparring: inject: {line}"),
                TrivialCheck = rejectsTrivial ? new MutationSearchTrivialCheck(sandboxes, searchBudget, options.Seed, options.Validation.ScriptTimeout) : null,
            };
            var strategies = names.Distinct(StringComparer.Ordinal).Select(n => Strategy(n, injector)).ToList();
            var report = await injector.RunAsync(context, strategies, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.InjectionReport)).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, options.OutputDirectory, report).ConfigureAwait(false);
            }

            return report.Artifacts.Count > 0 ? ExitCodes.Success : ExitCodes.TestsFailed;
        }));
        return command;
    }

    /// <summary>What <c>inject --policy llm</c> was asked, read once from the command line.</summary>
    private sealed record AgentRun(
        string Repo, IReadOnlyList<string> Strategies, int Count, int MaxCandidates, string Output, string? Commit, bool Install, int MinChangedFiles, double MinParsedShare, bool Json);

    private static async Task<int> InjectWithAgentAsync(
        CliConsole console, ParseResult result, ModelCommandOptions model, EnvironmentCommandOptions environmentOptions, EnvironmentSettings overrides, AgentRun run, CancellationToken cancellationToken)
    {
        if (run.Count < 1 || run.MaxCandidates < 1)
        {
            throw new ArgumentException("count must be at least 1 and max-candidates at least 1");
        }

        var baseline = new BaselineRequirements { MinParsedShare = run.MinParsedShare }.Validate();
        var roles = model.RoleOptions(result);
        using var client = await model.ClientAsync(result, cancellationToken).ConfigureAwait(false);
        var outDir = Path.GetFullPath(run.Output);
        var (sandboxes, environment, settings) = await RepositoryEnvironment.PrepareAsync(console, result, environmentOptions, overrides, run.Repo, run.Commit, run.Install, cancellationToken).ConfigureAwait(false);
        var repository = await GitRepository.OpenAsync(run.Repo, cancellationToken).ConfigureAwait(false);
        var validation = new ValidationOptions { MinChangedFiles = run.MinChangedFiles };
        var agent = new InjectorAgent(sandboxes, client, roles)
        {
            Validation = (settings.Timeout is { } limit ? validation with { ScriptTimeout = limit } : validation).Validate(),
            Baseline = baseline,
        };
        var report = await agent.RunAsync(environment, repository, run.Strategies, run.Count, run.MaxCandidates, outDir, line => console.Error.WriteLine($"sparring: inject: {line}"), cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(outDir);
        var text = JsonSerializer.Serialize(report, CliJsonContext.Default.InjectionReport);
        await File.WriteAllTextAsync(Path.Combine(outDir, InjectionReport.FileName), text, cancellationToken).ConfigureAwait(false);
        if (run.Json)
        {
            await console.Out.WriteLineAsync(text).ConfigureAwait(false);
        }
        else
        {
            await PrintAsync(console.Out, outDir, report).ConfigureAwait(false);
        }

        return report.Artifacts.Count > 0 ? ExitCodes.Success : ExitCodes.TestsFailed;
    }

    private static IBugStrategy Strategy(string name, Injector injector) => name switch
    {
        "removal" => new RemovalStrategy(),
        "mutation" => new MutationStrategy(),
        "history" => new HistoryStrategy(),
        "combine" => new CombineStrategy(() => injector.Components),
        _ => throw new ArgumentException($"Unknown strategy '{name}'."),
    };

    private static async Task PrintAsync(TextWriter output, string outputDirectory, InjectionReport report)
    {
        if (report.Problem is { } problem)
        {
            await output.WriteLineAsync($"no candidate tried: {problem}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"{"strategy",-14} {"tried",5} {"valid",5} {"s/valid",8} {"runs/valid",10}  rejected").ConfigureAwait(false);
        foreach (var s in report.Strategies)
        {
            var perValid = s.SecondsPerValid is { } seconds ? seconds.ToString("0.0", CultureInfo.InvariantCulture) : "-";
            var runsPerValid = s.SuiteRunsPerValid is { } runs ? runs.ToString("0.0", CultureInfo.InvariantCulture) : "-";
            var rejected = s.Rejected.Count == 0 ? "-" : string.Join(", ", s.Rejected.Select(r => $"{r.Key} {r.Value}"));
            await output.WriteLineAsync($"{s.Strategy,-14} {s.Tried,5} {s.Valid,5} {perValid,8} {runsPerValid,10}  {rejected}").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{report.Artifacts.Count} valid artifact(s) in {outputDirectory}: {(report.Artifacts.Count == 0 ? "none" : string.Join(", ", report.Artifacts))}").ConfigureAwait(false);
        await output.WriteLineAsync(report.BaselinePassing > 0
            ? string.Create(CultureInfo.InvariantCulture, $"test script {report.ScriptSeconds:0.0} s; {report.BaselinePassing} tests pass on the original; {report.DurationSeconds:0.0} s in all")
            : string.Create(CultureInfo.InvariantCulture, $"{report.DurationSeconds:0.0} s in all")).ConfigureAwait(false);
    }
}
