using System.Globalization;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.Rewards;
using Sparring.Store;
using Sparring.Testing;

namespace Sparring.Runs;

public sealed partial class SelfPlayRunner
{
    /// <summary>Injects a round's bugs and commits them (with the yields) as one unit; order-2 bugs from the previous round join them.</summary>
    private async Task InjectRoundAsync(PreparedEnvironment environment, GitRepository repository, InjectionContext context, IRunStore store, int round, CancellationToken cancellationToken)
    {
        var injected = await InjectAsync(environment, repository, context, store, round, RoundPath(round) + "/bugs", cancellationToken).ConfigureAwait(false);
        await CommitInjectionAsync(store, injected, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits an injected round: the round, its valid bugs and its stage time, then reports it.</summary>
    private async Task CommitInjectionAsync(IRunStore store, InjectedRound injected, CancellationToken cancellationToken)
    {
        await store.CommitRoundAsync(injected.Round, injected.Bugs, cancellationToken).ConfigureAwait(false);
        await store.RecordStageAsync($"inject/{injected.Round.Round}", "inject", injected.Round.Seconds, cancellationToken).ConfigureAwait(false);
        Progress(string.Create(CultureInfo.InvariantCulture, $"round {injected.Round.Round}: {injected.Bugs.Count} valid bug(s) of {injected.Tried} tried in {injected.Round.Seconds:0.0} s"));
    }

    /// <summary>A round's injection, done and not yet committed.</summary>
    private sealed record InjectedRound(RoundRecord Round, IReadOnlyList<ArtifactRecord> Bugs, int Tried);

    /// <summary>
    /// Injects a round's bugs (order-2 bugs from the previous round's failed attempts join them) into
    /// <paramref name="bugsFolder"/>, a folder of the run directory that this injection alone writes.
    /// </summary>
    private async Task<InjectedRound> InjectAsync(PreparedEnvironment environment, GitRepository repository, InjectionContext context, IRunStore store, int round, string bugsFolder, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var bugsDirectory = Path.Combine(store.Directory, bugsFolder);

        // A unit lost to a crash is redone from scratch: clear what it may have left.
        if (Directory.Exists(bugsDirectory))
        {
            Directory.Delete(bugsDirectory, recursive: true);
        }

        var useAgent = _options.Injector == "llm" || (_options.Injector == "mix" && round % 2 == 0);
        void OnProgress(string line) => Progress($"round {round}: inject: {line}");
        IInjector injector = useAgent
            ? new InjectorAgent(_sandboxes, _model!, _options.Agents, _time) { Baseline = _options.Baseline, MaxAttemptsPerStrategy = _options.MaxCandidatesPerStrategy, OnProgress = OnProgress }
            : new ProceduralInjector(_sandboxes, _time)
            {
                Seed = unchecked((_options.Seed * 1000) + round),
                MaxCandidatesPerStrategy = _options.MaxCandidatesPerStrategy,
                Baseline = _options.Baseline,
                OnProgress = OnProgress,
            };
        var report = await injector.InjectAsync(context, _options.BugsPerRound, bugsDirectory, cancellationToken).ConfigureAwait(false);

        var records = new List<ArtifactRecord>();
        foreach (var name in report.Artifacts)
        {
            var artifact = await BugArtifactFiles.LoadAsync(Path.Combine(bugsDirectory, name), cancellationToken).ConfigureAwait(false);
            records.Add(new ArtifactRecord(Id(round, name), round, artifact.Metadata.Strategy, artifact.Metadata.Order, bugsFolder + "/" + name, null));
        }

        if (_options.HigherOrder && round > 1)
        {
            var (yield, higher) = await HigherOrderAsync(environment, store, round, bugsFolder, cancellationToken).ConfigureAwait(false);
            records.AddRange(higher);
            report = report with { Strategies = [.. report.Strategies, yield], Artifacts = [.. report.Artifacts, .. higher.Select(h => Path.GetFileName(h.Path))] };
        }

        return new InjectedRound(new RoundRecord(round, JsonSerializer.Serialize(report, InjectionJsonContext.Default.InjectionReport), Seconds(started)), records, report.Strategies.Sum(s => s.Tried));
    }

    /// <summary>
    /// Order-2 bugs from the previous round's failed attempts that left a patch: the first such attempt per bug, validated.
    /// A tampered attempt is never one: its patch falsifies test results, which a bug must not carry into its base.
    /// </summary>
    private async Task<(StrategyYield Yield, List<ArtifactRecord> Records)> HigherOrderAsync(PreparedEnvironment environment, IRunStore store, int round, string bugsFolder, CancellationToken cancellationToken)
    {
        var bugsDirectory = Path.Combine(store.Directory, bugsFolder);
        var records = new List<ArtifactRecord>();
        var rejected = new Dictionary<string, int>(StringComparer.Ordinal);
        var tried = 0;
        var started = _time.GetTimestamp();
        foreach (var parent in await store.ArtifactsAsync(round - 1, cancellationToken).ConfigureAwait(false))
        {
            if (records.Count + rejected.Values.Sum() >= _options.BugsPerRound)
            {
                break;
            }

            if (parent.Order >= HigherOrderBugs.MaxOrder)
            {
                continue;
            }

            var failed = (await store.AttemptsAsync(parent.Id, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(a => a.Outcome == GradeOutcome.Unsolved && a.PatchPath is not null && File.Exists(RunFiles.Resolve(store.Directory, a.PatchPath, $"the run's attempt {a.ArtifactId}/{a.Attempt}")));
            if (failed is null)
            {
                continue;
            }

            tried++;
            var artifact = await BugArtifactFiles.LoadAsync(RunFiles.Resolve(store.Directory, parent.Path, $"the run's bug {parent.Id}"), cancellationToken).ConfigureAwait(false);
            var patch = await File.ReadAllTextAsync(RunFiles.Resolve(store.Directory, failed.PatchPath!, $"the run's attempt {failed.ArtifactId}/{failed.Attempt}"), cancellationToken).ConfigureAwait(false);
            var higher = HigherOrderBugs.FromFailedAttempt(artifact, patch, _time);
            ValidationReport report;
            try
            {
                report = await new ArtifactValidator(_sandboxes, new ValidationOptions(), _time).ValidateAsync(environment, higher, cancellationToken).ConfigureAwait(false);
            }
            catch (UnsafePathException)
            {
                // The failed patch (graded unsolved for it) names a path outside the repository: no order-2 bug.
                rejected[InjectorAgent.UnsafePathCheck] = rejected.GetValueOrDefault(InjectorAgent.UnsafePathCheck) + 1;
                continue;
            }

            if (!report.Valid)
            {
                rejected[report.FailedCheck ?? "invalid"] = rejected.GetValueOrDefault(report.FailedCheck ?? "invalid") + 1;
                continue;
            }

            var name = "higher-order-" + (records.Count + 1).ToString(CultureInfo.InvariantCulture);
            await BugArtifactFiles.SaveAsync(higher with { Metadata = higher.Metadata with { Validation = report with { DurationMs = null } } }, Path.Combine(bugsDirectory, name), cancellationToken).ConfigureAwait(false);
            records.Add(new ArtifactRecord(Id(round, name), round, "higher-order", HigherOrderBugs.MaxOrder, bugsFolder + "/" + name, parent.Id));
        }

        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        var yield = new StrategyYield
        {
            Strategy = "higher-order",
            Tried = tried,
            Valid = records.Count,
            Rejected = rejected,
            Seconds = Math.Round(seconds, 1),
            SecondsPerValid = records.Count == 0 ? null : Math.Round(seconds / records.Count, 1),
        };
        return (yield, records);
    }

    private static string Id(int round, string name) => string.Create(CultureInfo.InvariantCulture, $"r{round}-{name}");
}
