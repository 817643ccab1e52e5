using System.Text.Json.Serialization;
using Sparring.Grading;
using Sparring.Injection.Code;

namespace Sparring.Solving;

/// <summary>What one mutation search found: the patch (a diff against the solver's tree) when solved, and what the search spent.</summary>
public sealed record MutationSearchResult
{
    [JsonPropertyName("solved")]
    public required bool Solved { get; init; }

    /// <summary>The confirmed fix, a diff against the solver's tree; null when unsolved.</summary>
    [JsonPropertyName("patch")]
    public string? Patch { get; init; }

    /// <summary>The edit that fixed it (kind and place), or null.</summary>
    [JsonPropertyName("edit")]
    public string? Edit { get; init; }

    /// <summary>Why the search stopped without a fix (budget spent, no edit left, nothing fails), or null when solved.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>Test-script runs spent, the diagnostic run included.</summary>
    [JsonPropertyName("runs")]
    public required int Runs { get; init; }

    /// <summary>Candidate edits tried.</summary>
    [JsonPropertyName("tried")]
    public required int Tried { get; init; }

    /// <summary>Candidate edits found in the non-test source files.</summary>
    [JsonPropertyName("candidates")]
    public required int Candidates { get; init; }

    /// <summary>Candidates dropped by the failing-tests-first run alone (the full suite never ran for them).</summary>
    [JsonPropertyName("earlyStops")]
    public required int EarlyStops { get; init; }

    /// <summary>Candidates sent to the grader.</summary>
    [JsonPropertyName("confirmations")]
    public required int Confirmations { get; init; }

    /// <summary>The grader's verdict on the returned patch, or on the last confirmation that failed.</summary>
    [JsonPropertyName("grade")]
    public GradeResult? Grade { get; init; }

    [JsonPropertyName("seconds")]
    public required double Seconds { get; init; }
}
