namespace Sparring.Runs;

/// <summary>Workers per stage and the size of the queues between stages.</summary>
public sealed record StageOptions
{
    /// <summary>Workspaces and sandboxes being set up at once.</summary>
    public int Prepare { get; init; } = 2;

    /// <summary>Episodes (model calls and their tool runs) at once; model calls wait on the server, so this can exceed the cores.</summary>
    public int Solve { get; init; } = 2;

    /// <summary>Grading test runs at once (CPU-bound: about the number of cores).</summary>
    public int Grade { get; init; } = 2;

    /// <summary>Items waiting between two stages at most.</summary>
    public int QueueCapacity { get; init; } = 4;

    public StageOptions Validate() =>
        Prepare < 1 || Solve < 1 || Grade < 1 || QueueCapacity < 1
            ? throw new ArgumentException("every stage needs at least one worker and the queues a capacity of at least 1")
            : this;
}
