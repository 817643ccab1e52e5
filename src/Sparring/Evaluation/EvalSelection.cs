using System.Text.Json.Serialization;
using Sparring.Selection;

namespace Sparring.Evaluation;

/// <summary>A selector's choice among one instance's graded samples: a line of <c>selection.jsonl</c>.</summary>
public sealed record EvalSelection
{
    [JsonPropertyName("instance_id")]
    public required string InstanceId { get; init; }

    [JsonPropertyName("selector")]
    public required string Selector { get; init; }

    /// <summary>The graded samples the selector chose among; a resumed evaluation that grades more selects again.</summary>
    [JsonPropertyName("candidates")]
    public IReadOnlyList<int> Candidates { get; init; } = [];

    /// <summary>What the choice depended on beside the candidates (generated tests, rounds, the model); a resume with other settings chooses again.</summary>
    [JsonPropertyName("settings")]
    public string Settings { get; init; } = "";

    /// <summary>The chosen sample; null when no candidate could be chosen.</summary>
    [JsonPropertyName("chosen")]
    public int? Chosen { get; init; }

    /// <summary>The chosen sample was graded resolved.</summary>
    [JsonPropertyName("resolved")]
    public bool Resolved { get; init; }

    [JsonPropertyName("score")]
    public double? Score { get; init; }

    /// <summary>Every candidate's score.</summary>
    [JsonPropertyName("scores")]
    public IReadOnlyList<CandidateScore> Scores { get; init; } = [];

    /// <summary>Why nothing was chosen, or what the selector could not do.</summary>
    [JsonPropertyName("problem")]
    public string? Problem { get; init; }

    /// <summary>What the selector's own work left (generated tests that gave nothing, and why).</summary>
    [JsonPropertyName("notes")]
    public IReadOnlyList<string> Notes { get; init; } = [];
}
