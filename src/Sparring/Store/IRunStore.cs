namespace Sparring.Store;

/// <summary>
/// The record of a self-play run: its options, rounds, valid artifacts, graded attempts, rewards and stage times.
/// Each commit is one unit of work, all or nothing, so a run killed at any moment resumes from its last committed
/// unit without losing or duplicating one. <see cref="SqliteRunStore"/> (the default, one process) and
/// <see cref="PostgresRunStore"/> (shared by a run's workers) implement it; both also implement <see cref="IWorkLeases"/>.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>The run directory: diffs and trajectories are files under it.</summary>
    string Directory { get; }

    Task<string?> GetMetaAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Sets a value only when the key has none (the run's options are fixed by its first start).</summary>
    Task SetMetaOnceAsync(string key, string value, CancellationToken cancellationToken = default);

    Task<RoundRecord?> GetRoundAsync(int round, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RoundRecord>> RoundsAsync(CancellationToken cancellationToken = default);

    /// <summary>Commits a round's injection and its valid artifacts in one unit.</summary>
    Task CommitRoundAsync(RoundRecord round, IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancellationToken = default);

    /// <summary>Valid artifacts in the order they were committed; of one round when <paramref name="round"/> is given.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ArtifactsAsync(int? round = null, CancellationToken cancellationToken = default);

    Task CommitAttemptAsync(AttemptRecord attempt, CancellationToken cancellationToken = default);

    /// <summary>Graded attempts, by artifact and attempt number.</summary>
    Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string? artifactId = null, CancellationToken cancellationToken = default);

    Task CommitRewardAsync(RewardRecord reward, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RewardRecord>> RewardsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records the time of a unit of work under a stage, once per unit (a redone unit keeps its first record).</summary>
    Task RecordStageAsync(string unit, string stage, double seconds, CancellationToken cancellationToken = default);

    Task<IReadOnlyDictionary<string, double>> SecondsByStageAsync(CancellationToken cancellationToken = default);
}
