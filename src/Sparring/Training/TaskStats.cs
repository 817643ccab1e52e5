namespace Sparring.Training;

/// <summary>The recorded outcomes of one task: how often it was attempted and solved.</summary>
public sealed record TaskStats
{
    public required int Attempts { get; init; }

    public required int Solves { get; init; }

    /// <summary><c>Solves / Attempts</c>; null for a task never attempted (its rate is unknown, not 0).</summary>
    public double? SolveRate => Attempts == 0 ? null : (double)Solves / Attempts;
}
