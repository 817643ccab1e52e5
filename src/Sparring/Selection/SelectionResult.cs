using System.Text.Json.Serialization;

namespace Sparring.Selection;

/// <summary>What a selector chose among an instance's candidates, with every candidate's score.</summary>
/// <param name="Selector">The selector's name (<see cref="Selectors.Names"/>).</param>
/// <param name="Chosen">The chosen sample; null when no candidate could be chosen (see <paramref name="Problem"/>).</param>
/// <param name="Scores">Every candidate's score, by sample.</param>
/// <param name="Problem">Why nothing was chosen; null when something was.</param>
public sealed record SelectionResult(
    [property: JsonPropertyName("selector")] string Selector,
    [property: JsonPropertyName("chosen")] int? Chosen,
    [property: JsonPropertyName("scores")] IReadOnlyList<CandidateScore> Scores,
    [property: JsonPropertyName("problem")] string? Problem)
{
    /// <summary>The chosen candidate's score.</summary>
    [JsonPropertyName("score")]
    public double? Score => Scores.FirstOrDefault(s => s.Sample == Chosen)?.Score;

    /// <summary>The highest-scored candidate, the lowest sample number among equals; nothing when none has a score.</summary>
    internal static SelectionResult Best(string selector, IReadOnlyList<CandidateScore> scores, string noneProblem)
    {
        var best = scores.Where(s => s.Score is not null).OrderByDescending(s => s.Score).ThenBy(s => s.Sample).FirstOrDefault();
        return new SelectionResult(selector, best?.Sample, scores, best is null ? noneProblem : null);
    }
}
