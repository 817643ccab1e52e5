using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Rewards;
using Sparring.Store;
using Sparring.Testing;

namespace Sparring.Runs;

public sealed partial class SelfPlayRunner
{
    private Task<RunSummary> SummarizeAsync(PreparedEnvironment environment, IRunStore store, CancellationToken cancellationToken) =>
        SummarizeAsync(store, environment.Snapshot.RepositoryRoot, environment.Snapshot.Commit, _options, cancellationToken);

    /// <summary>
    /// The run's totals from the store alone, so a resumed run summarizes exactly like an uninterrupted one. A tampered
    /// attempt counts in <c>tampered</c> and, like any unsolved one, against the solve rate.
    /// </summary>
    internal static async Task<RunSummary> SummarizeAsync(IRunStore store, string repository, string commit, SelfPlayOptions options, CancellationToken cancellationToken)
    {
        var rounds = await store.RoundsAsync(cancellationToken).ConfigureAwait(false);
        var reports = rounds.Select(r => JsonSerializer.Deserialize(r.ReportJson, InjectionJsonContext.Default.InjectionReport)!).ToList();
        var yields = reports.SelectMany(r => r.Strategies).ToList();
        var rejected = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (reason, count) in yields.SelectMany(y => y.Rejected))
        {
            rejected[reason] = rejected.GetValueOrDefault(reason) + count;
        }

        var artifacts = await store.ArtifactsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var attempts = await store.AttemptsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var rewards = (await store.RewardsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.ArtifactId, StringComparer.Ordinal);
        var tried = yields.Sum(y => y.Tried);
        var invalid = tried - artifacts.Count;

        // Injector reward per candidate: −1 for each invalid one (spec §1.5), the bug's reward for each valid one.
        var injectorMean = tried == 0 ? 0 : Math.Round((rewards.Values.Sum(r => r.InjectorReward) - Math.Max(0, invalid)) / Math.Max(tried, rewards.Count), 4);
        var bugs = artifacts.Select(a =>
        {
            var own = attempts.Where(t => t.ArtifactId == a.Id).ToList();
            return new BugSummary
            {
                Id = a.Id,
                Round = a.Round,
                Strategy = a.Strategy,
                Order = a.Order,
                Attempts = own.Count,
                Solved = own.Count(t => t.Solved),
                Tampered = own.Count(t => t.Tampered),
                SolveRate = Reward.SolveRate(own.Count(t => t.Solved), own.Count),
                InjectorReward = rewards.TryGetValue(a.Id, out var r) ? r.InjectorReward : 0,
                Path = a.Path,
            };
        }).ToList();
        return new RunSummary
        {
            Repository = repository,
            Commit = commit,
            Seed = options.Seed,
            Injector = options.Injector,
            Solver = options.Solver,
            Rounds = rounds.Count,
            BugsTried = tried,
            Valid = artifacts.Count,
            RejectedByCheck = rejected,
            Attempts = attempts.Count,
            Solved = attempts.Count(a => a.Solved),
            Tampered = attempts.Count(a => a.Tampered),
            SolveRate = Reward.SolveRate(attempts.Count(a => a.Solved), attempts.Count),
            MeanReward = new SortedDictionary<string, double>(StringComparer.Ordinal)
            {
                ["injector"] = injectorMean,
                ["solver"] = attempts.Count == 0 ? 0 : Math.Round(attempts.Average(a => a.Reward), 4),
            },
            SecondsByStage = await store.SecondsByStageAsync(cancellationToken).ConfigureAwait(false),
            ByStrategy = bugs.GroupBy(b => (b.Strategy, b.Order)).OrderBy(g => g.Key.Order).ThenBy(g => g.Key.Strategy, StringComparer.Ordinal)
                .Select(g => new StrategySummary(
                    g.Key.Strategy, g.Key.Order, g.Count(), g.Sum(b => b.Attempts), g.Sum(b => b.Solved), Reward.SolveRate(g.Sum(b => b.Solved), g.Sum(b => b.Attempts)), g.Sum(b => b.Tampered)))
                .ToList(),
            Bugs = bugs,
        };
    }

}
