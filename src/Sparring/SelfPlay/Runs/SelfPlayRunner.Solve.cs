using Sparring.Internal;
using System.Globalization;
using System.Text.Json;
using Sparring.Agents;
using Sparring.SelfPlay.Agents;
using Sparring.SelfPlay.Injection;
using Sparring.SelfPlay.Solvers;
using Sparring.Store;
using Sparring.Testing;

namespace Sparring.SelfPlay.Runs;

public sealed partial class SelfPlayRunner
{
    /// <summary>Runs every attempt of the round not yet committed through the staged dispatcher (prepare → solve → grade).</summary>
    private async Task SolveRoundAsync(PreparedEnvironment environment, RunStore store, int round, IReadOnlyList<ArtifactRecord> bugs, CancellationToken cancellationToken)
    {
        var done = (await store.AttemptsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Select(a => (a.ArtifactId, a.Attempt)).ToHashSet();
        var pending = bugs.SelectMany(b => Enumerable.Range(1, _options.Attempts).Select(n => new PendingAttempt(b, n))).Where(p => !done.Contains((p.Bug.Id, p.Attempt))).ToList();
        if (pending.Count < bugs.Count * _options.Attempts)
        {
            Progress($"round {round}: {bugs.Count * _options.Attempts - pending.Count} attempt(s) already done (resumed)");
        }

        var artifacts = new Dictionary<string, BugArtifact>(StringComparer.Ordinal);
        foreach (var bug in bugs)
        {
            artifacts[bug.Id] = await BugArtifactFiles.LoadAsync(Path.Combine(store.Directory, bug.Path), cancellationToken).ConfigureAwait(false);
        }

        async Task CommitAsync(AttemptRecord record, CancellationToken ct)
        {
            await store.CommitAttemptAsync(record, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _attemptsThisRound);
            if (record.Solved)
            {
                Interlocked.Increment(ref _solvedThisRound);
            }

            await store.RecordStageAsync($"solve/{record.ArtifactId}/{record.Attempt}", "solve", record.Seconds, ct).ConfigureAwait(false);
            Progress(string.Create(CultureInfo.InvariantCulture, $"round {round}: {record.ArtifactId} attempt {record.Attempt}/{_options.Attempts}: {(record.Solved ? "solved" : "not solved")} ({record.Exit}, {record.Seconds:0.0} s)"));
        }

        if (_options.Solver == "llm")
        {
            var agent = new SolverAgent(_sandboxes, _model!, _options.Agents, _time);
            await Dispatcher.RunAsync(
                pending,
                async (p, ct) => (p, Started: _time.GetTimestamp(), Episode: await agent.PrepareAsync(environment, artifacts[p.Bug.Id], p.Attempt, Path.Combine(store.Directory, AttemptPath(round, p)), ct).ConfigureAwait(false)),
                async (x, ct) =>
                {
                    await agent.RunEpisodeAsync(x.Episode, ct).ConfigureAwait(false);
                    return x;
                },
                async (x, ct) =>
                {
                    var result = await agent.GradeAsync(x.Episode, ct).ConfigureAwait(false);
                    var relative = AttemptPath(round, x.p);
                    await CommitAsync(
                        new AttemptRecord(
                            x.p.Bug.Id, x.p.Attempt, result.Solved, result.Exit.Value, result.Turns, result.Tokens, Rewards.Solver(result.Solved), Seconds(x.Started),
                            result.PatchPath is null ? null : relative + "/" + BugArtifactFiles.PredPatch, relative + "/trajectory.json"),
                        ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return;
        }

        await Dispatcher.RunAsync(
            pending,
            (p, _) => Task.FromResult(p),
            (p, ct) => SearchAsync(environment, store, round, p, artifacts[p.Bug.Id], ct),
            CommitAsync,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One attempt of the mutation-search solver (which runs and grades its own candidates).</summary>
    private async Task<AttemptRecord> SearchAsync(PreparedEnvironment environment, RunStore store, int round, PendingAttempt pending, BugArtifact artifact, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var relative = AttemptPath(round, pending);
        var directory = Path.Combine(store.Directory, relative);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var options = new MutationSearchOptions { Budget = _options.SearchBudget, Seed = unchecked((StableHash.Of(pending.Bug.Id) & 0x7fffffff) + pending.Attempt) }.Validate();
        var found = await new MutationSearchSolver(_sandboxes, options, _time).SolveAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        string? patchPath = null;
        if (found.Patch is { } patch)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, BugArtifactFiles.PredPatch), patch, cancellationToken).ConfigureAwait(false);
            patchPath = relative + "/" + BugArtifactFiles.PredPatch;
        }

        var exit = found.Solved ? AgentExit.Submitted : AgentExit.TurnLimit;
        return new AttemptRecord(pending.Bug.Id, pending.Attempt, found.Solved, exit.Value, found.Runs, 0, Rewards.Solver(found.Solved), Seconds(started), patchPath, null);
    }

    private static string AttemptPath(int round, PendingAttempt pending) =>
        string.Create(CultureInfo.InvariantCulture, $"{RoundPath(round)}/attempts/{pending.Bug.Id}/attempt-{pending.Attempt}");

    /// <summary>An attempt still to run.</summary>
    private sealed record PendingAttempt(ArtifactRecord Bug, int Attempt);

    /// <summary>Rewards the injector for each bug whose attempts are all graded (spec §1.5).</summary>
    private async Task RewardRoundAsync(RunStore store, IReadOnlyList<ArtifactRecord> bugs, CancellationToken cancellationToken)
    {
        var rewarded = (await store.RewardsAsync(cancellationToken).ConfigureAwait(false)).Select(r => r.ArtifactId).ToHashSet(StringComparer.Ordinal);
        foreach (var bug in bugs.Where(b => !rewarded.Contains(b.Id)))
        {
            var outcomes = (await store.AttemptsAsync(bug.Id, cancellationToken).ConfigureAwait(false)).Select(a => a.Solved).ToList();
            var rate = outcomes.Count == 0 ? 0 : (double)outcomes.Count(s => s) / outcomes.Count;
            await store.CommitRewardAsync(new RewardRecord(bug.Id, Math.Round(rate, 4), Math.Round(Rewards.Injector(true, outcomes, _options.Alpha), 4)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The run's totals from the store alone, so a resumed run summarizes exactly like an uninterrupted one.</summary>
    private async Task<RunSummary> SummarizeAsync(PreparedEnvironment environment, RunStore store, CancellationToken cancellationToken)
    {
        var rounds = await store.RoundsAsync(cancellationToken).ConfigureAwait(false);
        var reports = rounds.Select(r => JsonSerializer.Deserialize(r.ReportJson, SelfPlayJsonContext.Default.InjectionReport)!).ToList();
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
                SolveRate = own.Count == 0 ? 0 : Math.Round((double)own.Count(t => t.Solved) / own.Count, 4),
                InjectorReward = rewards.TryGetValue(a.Id, out var r) ? r.InjectorReward : 0,
                Path = a.Path,
            };
        }).ToList();
        return new RunSummary
        {
            Repository = environment.Snapshot.RepositoryRoot,
            Commit = environment.Snapshot.Commit,
            Seed = _options.Seed,
            Injector = _options.Injector,
            Solver = _options.Solver,
            Rounds = rounds.Count,
            BugsTried = tried,
            Valid = artifacts.Count,
            RejectedByCheck = rejected,
            Attempts = attempts.Count,
            Solved = attempts.Count(a => a.Solved),
            SolveRate = attempts.Count == 0 ? 0 : Math.Round((double)attempts.Count(a => a.Solved) / attempts.Count, 4),
            MeanReward = new SortedDictionary<string, double>(StringComparer.Ordinal)
            {
                ["injector"] = injectorMean,
                ["solver"] = attempts.Count == 0 ? 0 : Math.Round(attempts.Average(a => a.Reward), 4),
            },
            SecondsByStage = await store.SecondsByStageAsync(cancellationToken).ConfigureAwait(false),
            ByStrategy = bugs.GroupBy(b => (b.Strategy, b.Order)).OrderBy(g => g.Key.Order).ThenBy(g => g.Key.Strategy, StringComparer.Ordinal)
                .Select(g => new StrategySummary(g.Key.Strategy, g.Key.Order, g.Count(), g.Sum(b => b.Attempts), g.Sum(b => b.Solved), g.Sum(b => b.Attempts) == 0 ? 0 : Math.Round((double)g.Sum(b => b.Solved) / g.Sum(b => b.Attempts), 4)))
                .ToList(),
            Bugs = bugs,
        };
    }
}
