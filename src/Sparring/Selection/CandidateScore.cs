using System.Text.Json.Serialization;

namespace Sparring.Selection;

/// <summary>One candidate's score under a selector: null when it could not be chosen at all, with why.</summary>
/// <param name="Sample">The candidate's sample number (1-based).</param>
/// <param name="Score">The selector's score; higher is better.</param>
/// <param name="Detail">How the score was made, or why the candidate is out.</param>
public sealed record CandidateScore(
    [property: JsonPropertyName("sample")] int Sample,
    [property: JsonPropertyName("score")] double? Score,
    [property: JsonPropertyName("detail")] string Detail);
