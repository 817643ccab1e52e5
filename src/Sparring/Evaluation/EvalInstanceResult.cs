using System.Text.Json.Serialization;

namespace Sparring.Evaluation;

/// <summary>One instance: its samples' final outcomes and its time and tokens.</summary>
public sealed record EvalInstanceResult
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("repo")]
    public required string Repo { get; init; }

    [JsonPropertyName("solveRate")]
    public double? SolveRate { get; init; }

    /// <summary>Each sample's last try, by sample number.</summary>
    [JsonPropertyName("samples")]
    public required IReadOnlyList<EvalSample> Samples { get; init; }

    /// <summary>Each selector's choice among the graded samples, with every candidate's score.</summary>
    [JsonPropertyName("selections")]
    public IReadOnlyList<EvalSelection> Selections { get; init; } = [];

    [JsonPropertyName("graded")]
    public required int Graded { get; init; }

    [JsonPropertyName("resolved")]
    public required int Resolved { get; init; }

    [JsonPropertyName("errors")]
    public required int Errors { get; init; }

    [JsonPropertyName("passAt1")]
    public double? PassAt1 { get; init; }

    /// <summary>Seconds over every try of the instance (errors included: they cost time too).</summary>
    [JsonPropertyName("seconds")]
    public required double Seconds { get; init; }

    [JsonPropertyName("tokens")]
    public required long Tokens { get; init; }
}
