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
        var started = _time.GetTimestamp();
        var bugsDirectory = Path.Combine(store.Directory, RoundPath(round), "bugs");

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
            records.Add(new ArtifactRecord(Id(round, name), round, artifact.Metadata.Strategy, artifact.Metadata.Order, RoundPath(round) + "/bugs/" + name, null));
        }

        if (_options.HigherOrder && round > 1)
        {
            var (yield, higher) = await HigherOrderAsync(environment, store, round, bugsDirectory, cancellationToken).ConfigureAwait(false);
            records.AddRange(higher);
            report = report with { Strategies = [.. report.Strategies, yield], Artifacts = [.. report.Artifacts, .. higher.Select(h => Path.GetFileName(h.Path))] };
        }

        var seconds = Seconds(started);
        await store.CommitRoundAsync(new RoundRecord(round, JsonSerializer.Serialize(report, InjectionJsonContext.Default.InjectionReport), seconds), records, cancellationToken).ConfigureAwait(false);
        await store.RecordStageAsync($"inject/{round}", "inject", seconds, cancellationToken).ConfigureAwait(false);
        Progress(string.Create(CultureInfo.InvariantCulture, $"round {round}: {records.Count} valid bug(s) of {report.Strategies.Sum(s => s.Tried)} tried in {seconds:0.0} s"));
    }

    /// <summary>
    /// Order-2 bugs from the previous round's failed attempts that left a patch: the first such attempt per bug, validated.
    /// A tampered attempt is never one: its patch falsifies test results, which a bug must not carry into its base.
    /// </summary>
    private async Task<(StrategyYield Yield, List<ArtifactRecord> Records)> HigherOrderAsync(PreparedEnvironment environment, IRunStore store, int round, string bugsDirectory, CancellationToken cancellationToken)
    {
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
                .FirstOrDefault(a => a.Outcome == GradeOutcome.Unsolved && a.PatchPath is not null && File.Exists(Path.Combine(store.Directory, a.PatchPath)));
            if (failed is null)
            {
                continue;
            }

            tried++;
            var artifact = await BugArtifactFiles.LoadAsync(Path.Combine(store.Directory, parent.Path), cancellationToken).ConfigureAwait(false);
            var patch = await File.ReadAllTextAsync(Path.Combine(store.Directory, failed.PatchPath!), cancellationToken).ConfigureAwait(false);
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
            records.Add(new ArtifactRecord(Id(round, name), round, "higher-order", HigherOrderBugs.MaxOrder, RoundPath(round) + "/bugs/" + name, parent.Id));
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
