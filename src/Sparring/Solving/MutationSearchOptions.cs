namespace Sparring.Solving;

/// <summary>How hard <see cref="MutationSearchSolver"/> searches. Defaults suit a solver baseline; <c>--reject-trivial</c> uses a smaller budget.</summary>
public sealed record MutationSearchOptions
{
    /// <summary>Test-script runs the search may spend (the first diagnostic run and every probe count; the grader's confirmations do not).</summary>
    public int Budget { get; init; } = 30;

    /// <summary>Orders edits of equal suspicion: the same seed gives the same search.</summary>
    public int Seed { get; init; }

    /// <summary>Limit for one run of the artifact's test script.</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Grader confirmations allowed (a candidate passing the probe but failing the grader lets the search go on).</summary>
    public int MaxConfirmations { get; init; } = 3;

    public MutationSearchOptions Validate()
    {
        if (Budget < 2)
        {
            throw new ArgumentException($"The search budget must be at least 2 test runs (one to diagnose, one to try an edit), got {Budget}.");
        }

        if (ScriptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ScriptTimeout)} must be positive.");
        }

        if (MaxConfirmations < 1)
        {
            throw new ArgumentException($"{nameof(MaxConfirmations)} must be at least 1, got {MaxConfirmations}.");
        }

        return this;
    }
}
