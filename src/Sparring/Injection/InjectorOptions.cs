using Sparring.Artifacts;
using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>What an injection run aims for and how hard it tries. Defaults live here; <see cref="Validate"/> rejects bad input before any sandbox starts.</summary>
public sealed record InjectorOptions
{
    /// <summary>Valid artifacts to write before stopping.</summary>
    public int Count { get; init; } = 5;

    /// <summary>Seeds every strategy's <see cref="Random"/>: the same seed gives the same candidates in the same order.</summary>
    public int Seed { get; init; }

    /// <summary>Where each valid artifact gets its own subfolder (<c>&lt;strategy&gt;-&lt;n&gt;</c>).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Source files a written artifact must change (the validator's <c>min-changed-files</c>).</summary>
    public int MinChangedFiles { get; init; } = 1;

    /// <summary>A file path or symbol name the bugs should go to; null for anywhere.</summary>
    public string? Target { get; init; }

    /// <summary>Candidates tried per strategy before it is given up (duplicates are not counted).</summary>
    public int MaxCandidatesPerStrategy { get; init; } = 20;

    /// <summary>The SSR prompts ask for a test script that finishes in under 90 s; a slower suite makes no artifact.</summary>
    public TimeSpan ScriptTimeBudget { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Thresholds and limits of the validation every candidate goes through (its <c>MinChangedFiles</c> is replaced by <see cref="MinChangedFiles"/>).</summary>
    public ValidationOptions Validation { get; init; } = new();

    /// <summary>What the baseline must show before any candidate is tried (a passing test, enough parsed results).</summary>
    public BaselineRequirements Baseline { get; init; } = new();

    public InjectorOptions Validate()
    {
        if (Count < 1)
        {
            throw new ArgumentException($"The artifact count must be at least 1, got {Count}.");
        }

        if (MinChangedFiles < 1)
        {
            throw new ArgumentException($"The minimum number of changed files must be at least 1, got {MinChangedFiles}.");
        }

        if (MaxCandidatesPerStrategy < 1)
        {
            throw new ArgumentException($"The candidates tried per strategy must be at least 1, got {MaxCandidatesPerStrategy}.");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("An output directory is required.");
        }

        if (ScriptTimeBudget <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(ScriptTimeBudget)} must be positive.");
        }

        Validation.Validate();
        Baseline.Validate();
        return this;
    }
}
