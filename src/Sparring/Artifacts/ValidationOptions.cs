namespace Sparring.Artifacts;

/// <summary>Thresholds of the consistency checks (spec §1.3). The paper names them without values; these are Sparring's defaults.</summary>
public sealed record ValidationOptions
{
    /// <summary>Source files <c>bug_inject.diff</c> must change (<c>min_changed_files</c>).</summary>
    public int MinChangedFiles { get; init; } = 1;

    /// <summary>Tests that must pass on the original repository (<c>min_passing_tests</c>).</summary>
    public int MinPassingTests { get; init; } = 1;

    /// <summary>Baseline-passing tests the bug must break (<c>min_failing_tests</c>).</summary>
    public int MinFailingTests { get; init; } = 1;

    /// <summary>Stop at the first failing check (the default) or run them all (<c>--all</c>).</summary>
    public bool StopAtFirstFailure { get; init; } = true;

    /// <summary>Test-suite runs made at once.</summary>
    public int MaxParallelRuns { get; init; } = 2;

    /// <summary>Limit for one run of the artifact's test script.</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public ValidationOptions Validate()
    {
        if (MinChangedFiles < 1 || MinPassingTests < 1 || MinFailingTests < 1)
        {
            throw new ArgumentException($"Validation thresholds must be at least 1 (min changed files {MinChangedFiles}, min passing tests {MinPassingTests}, min failing tests {MinFailingTests}).");
        }

        if (MaxParallelRuns < 1)
        {
            throw new ArgumentException($"{nameof(MaxParallelRuns)} must be at least 1, got {MaxParallelRuns}.");
        }

        if (ScriptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ScriptTimeout)} must be positive.");
        }

        return this;
    }
}
