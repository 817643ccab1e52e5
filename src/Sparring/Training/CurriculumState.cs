namespace Sparring.Training;

/// <summary>What a curriculum decides from: the task pool with its recorded outcomes, the step, and the randomness.</summary>
public sealed record CurriculumState
{
    /// <summary>The whole task pool, task id → outcomes so far. A task with 0 attempts is <em>unattempted</em>.</summary>
    public required IReadOnlyDictionary<string, TaskStats> Tasks { get; init; }

    /// <summary>The training step (0-based).</summary>
    public required int Step { get; init; }

    /// <summary>The run's seeded randomness; curricula that sample draw from it so a run replays exactly.</summary>
    public required Random Random { get; init; }

    /// <summary>Checks the invariants a curriculum relies on.</summary>
    /// <exception cref="ArgumentException">A negative step, or a task with negative attempts or solves outside [0, attempts].</exception>
    public CurriculumState Validate()
    {
        if (Tasks is null || Random is null)
        {
            throw new ArgumentException($"{nameof(Tasks)} and {nameof(Random)} must be set.");
        }

        if (Step < 0)
        {
            throw new ArgumentException($"{nameof(Step)} must be at least 0, got {Step}.");
        }

        foreach (var (id, stats) in Tasks)
        {
            if (stats is null || stats.Attempts < 0 || stats.Solves < 0 || stats.Solves > stats.Attempts)
            {
                throw new ArgumentException($"Task '{id}' has impossible outcomes ({stats?.Solves} solves in {stats?.Attempts} attempts).");
            }
        }

        return this;
    }
}
