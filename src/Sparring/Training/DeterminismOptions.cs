namespace Sparring.Training;

/// <summary>Options of <see cref="DeterminismFilter"/>.</summary>
public sealed record DeterminismOptions
{
    /// <summary>Runs a task needs before it can be called deterministic (default 2; the Nebius paper ran 50).</summary>
    public int MinRuns { get; init; } = 2;

    public DeterminismOptions Validate()
    {
        if (MinRuns < 2)
        {
            throw new ArgumentException($"{nameof(MinRuns)} must be at least 2 (one run cannot disagree with itself), got {MinRuns}.");
        }

        return this;
    }
}
