using System.Globalization;
using System.Text.Json;
using Sparring.Agents;
using Sparring.Grading;
using Sparring.Rewards;
using Sparring.Store;

namespace Sparring.Training.Internal;

/// <summary>
/// A rollout of the run as the exports see it: who played, on what, with what reward, and where its trajectory is.
/// <paramref name="Outcome"/> is a solver attempt's grade (null for the injector); <paramref name="Success"/> is solved
/// (solver) or valid (injector), never true for a tampered attempt.
/// </summary>
internal sealed record RunRollout(
    string Role, string TaskId, string GroupId, double Reward, string Exit, int Turns, bool Success, GradeOutcome? Outcome, string? TrajectoryPath, Trajectory? Trajectory, string? PatchPath = null);

/// <summary>Everything a self-play run committed, read without taking the run's lock (it may still be running).</summary>
internal sealed record RunContents
{
    public required string Directory { get; init; }

    public required string? Repository { get; init; }

    public required string? Commit { get; init; }

    public required int PolicyVersion { get; init; }

    public required string? Model { get; init; }

    public required string Solver { get; init; }

    public required IReadOnlyList<RoundRecord> Rounds { get; init; }

    public required IReadOnlyList<ArtifactRecord> Artifacts { get; init; }

    public required IReadOnlyList<AttemptRecord> Attempts { get; init; }

    public required IReadOnlyDictionary<string, RewardRecord> Rewards { get; init; }

    public static async Task<RunContents> LoadAsync(string runDirectory, CancellationToken cancellationToken)
    {
        await using var store = await RunStores.OpenReadOnlyAsync(runDirectory, cancellationToken).ConfigureAwait(false);
        var arguments = await store.GetMetaAsync("arguments", cancellationToken).ConfigureAwait(false) is { } json
            ? JsonSerializer.Deserialize(json, ExportsJsonContext.Default.StringArray) ?? []
            : [];
        string? Argument(string name) => Array.IndexOf(arguments, name) is var i and >= 0 && i + 1 < arguments.Length ? arguments[i + 1] : null;

        var version = await store.GetMetaAsync(RunMetaKeys.PolicyVersion, cancellationToken).ConfigureAwait(false) ?? Argument("--policy-version");
        return new RunContents
        {
            Directory = Path.GetFullPath(runDirectory),
            Repository = await store.GetMetaAsync(RunMetaKeys.Repository, cancellationToken).ConfigureAwait(false) ?? arguments.FirstOrDefault(),
            Commit = await store.GetMetaAsync(RunMetaKeys.Commit, cancellationToken).ConfigureAwait(false) ?? Argument("--commit"),
            PolicyVersion = version is null ? 0 : int.Parse(version, CultureInfo.InvariantCulture),
            Model = await store.GetMetaAsync(RunMetaKeys.Model, cancellationToken).ConfigureAwait(false) ?? Argument("--model"),
            Solver = await store.GetMetaAsync(RunMetaKeys.Solver, cancellationToken).ConfigureAwait(false) ?? Argument("--solver") ?? "search",
            Rounds = await store.RoundsAsync(cancellationToken).ConfigureAwait(false),
            Artifacts = await store.ArtifactsAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
            Attempts = await store.AttemptsAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
            Rewards = (await store.RewardsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.ArtifactId, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The rollouts of <paramref name="roles"/>, solver attempts first (bug by bug, in commit order), then injector
    /// episodes (round by round). Rollouts that cannot be exported yet are counted in <paramref name="skipped"/>.
    /// </summary>
    public async Task<IReadOnlyList<RunRollout>> RolloutsAsync(IReadOnlySet<string> roles, IDictionary<string, int> skipped, CancellationToken cancellationToken)
    {
        var rollouts = new List<RunRollout>();
        if (roles.Contains("solver"))
        {
            var order = Artifacts.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
            foreach (var attempt in Attempts.OrderBy(a => order.GetValueOrDefault(a.ArtifactId, int.MaxValue)).ThenBy(a => a.Attempt))
            {
                var path = attempt.TrajectoryPath is null ? null : Path.Combine(Directory, attempt.TrajectoryPath);
                var trajectory = path is not null && TrajectoryFiles.Exists(path) ? await TrajectoryFiles.LoadAsync(path, cancellationToken).ConfigureAwait(false) : null;
                rollouts.Add(new RunRollout(
                    "solver", attempt.ArtifactId, "solver/" + attempt.ArtifactId, attempt.Reward, attempt.Exit, attempt.Turns, attempt.Solved, attempt.Outcome, attempt.TrajectoryPath, trajectory, attempt.PatchPath));
            }
        }

        if (roles.Contains("injector"))
        {
            foreach (var round in Rounds)
            {
                var attempts = Path.Combine(Directory, "rounds", round.Round.ToString(CultureInfo.InvariantCulture), "bugs", "attempts");
                if (!System.IO.Directory.Exists(attempts))
                {
                    continue;
                }

                foreach (var folder in System.IO.Directory.GetDirectories(attempts).Order(StringComparer.Ordinal))
                {
                    var path = Path.Combine(folder, "trajectory.json");
                    if (!TrajectoryFiles.Exists(path))
                    {
                        continue;
                    }

                    var trajectory = await TrajectoryFiles.LoadAsync(path, cancellationToken).ConfigureAwait(false);
                    var name = Path.GetFileName(folder);
                    var strategy = name[..Math.Max(0, name.LastIndexOf('-'))];
                    var valid = trajectory.Outcome?.GetValueOrDefault("valid") == "true";
                    var artifact = trajectory.Outcome?.GetValueOrDefault("artifact");
                    double reward;
                    if (!valid)
                    {
                        reward = Sparring.Rewards.Reward.Injector(valid: false, []);
                    }
                    else if (!string.IsNullOrEmpty(artifact) && Rewards.TryGetValue(string.Create(CultureInfo.InvariantCulture, $"r{round.Round}-{artifact}"), out var rewarded))
                    {
                        reward = rewarded.InjectorReward;
                    }
                    else
                    {
                        // The bug's attempts are not all graded yet: its reward is not known.
                        skipped["reward-pending"] = skipped.TryGetValue("reward-pending", out var pending) ? pending + 1 : 1;
                        continue;
                    }

                    var task = string.Create(CultureInfo.InvariantCulture, $"r{round.Round}-inject-{strategy}");
                    rollouts.Add(new RunRollout(
                        "injector", task, "injector/" + task, reward, trajectory.Exit?.Value ?? "unknown", trajectory.Turns, valid, null,
                        Path.GetRelativePath(Directory, path), trajectory));
                }
            }
        }

        return rollouts;
    }

    /// <summary>
    /// The rollouts with each solver attempt's reward replaced by SWE-RL's similarity of its patch to the bug's fix
    /// (<see cref="SimilarityReward"/>; a tampered attempt −1), reading the original files from the run's repository.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The run's repository is gone.</exception>
    /// <exception cref="InvalidDataException">The run records no repository or commit.</exception>
    public async Task<IReadOnlyList<RunRollout>> WithSimilarityRewardsAsync(IReadOnlyList<RunRollout> rollouts, List<string> decisions, CancellationToken cancellationToken)
    {
        if (!rollouts.Any(r => r.Role == "solver"))
        {
            return rollouts;
        }

        if (Repository is null || Commit is null)
        {
            throw new InvalidDataException("the run records no repository and commit: the similarity reward reads the original files from them");
        }

        if (!System.IO.Directory.Exists(Repository))
        {
            throw new DirectoryNotFoundException($"the run's repository '{Repository}' is gone: the similarity reward reads the original files from it");
        }

        var original = SimilarityReward.FromCommit(Repository, Commit);
        var artifacts = new Dictionary<string, Sparring.Artifacts.BugArtifact>(StringComparer.Ordinal);
        var scored = new List<RunRollout>(rollouts.Count);
        foreach (var rollout in rollouts)
        {
            if (rollout.Role != "solver")
            {
                scored.Add(rollout);
                continue;
            }

            PatchSimilarityResult score;
            if (rollout.Outcome == GradeOutcome.Tampered)
            {
                score = new PatchSimilarityResult(PatchSimilarity.Malformed, [], "tampered: its grade found the test results falsified");
            }
            else
            {
                if (!artifacts.TryGetValue(rollout.TaskId, out var artifact))
                {
                    var record = Artifacts.FirstOrDefault(a => a.Id == rollout.TaskId) ?? throw new InvalidDataException($"attempt of unknown bug '{rollout.TaskId}'");
                    artifacts[rollout.TaskId] = artifact = await Sparring.Artifacts.BugArtifactFiles.LoadAsync(Path.Combine(Directory, record.Path), cancellationToken).ConfigureAwait(false);
                }

                var patchFile = rollout.PatchPath is { } p ? Path.Combine(Directory, p) : null;
                var patch = patchFile is not null && File.Exists(patchFile) ? await File.ReadAllTextAsync(patchFile, cancellationToken).ConfigureAwait(false) : null;
                try
                {
                    score = await SimilarityReward.ScoreAsync(artifact, patch, original, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is Sparring.Repos.UnsafePathException or Sparring.Artifacts.ArtifactApplyException or InvalidDataException or IOException)
                {
                    score = new PatchSimilarityResult(PatchSimilarity.Malformed, [], $"could not be scored: {ex.Message}");
                }
            }

            decisions.Add(string.Create(CultureInfo.InvariantCulture,
                $"similarity: {rollout.TrajectoryPath ?? rollout.TaskId}: {score.Reward:0.####}{(score.Problem is { } problem ? $" ({problem})" : "")}"));
            scored.Add(rollout with { Reward = score.Reward });
        }

        return scored;
    }
}
