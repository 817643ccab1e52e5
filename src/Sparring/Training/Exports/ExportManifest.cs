using System.Text.Json.Serialization;

namespace Sparring.Training;

/// <summary>
/// What an export wrote and what it left out, and why (<c>OUT/&lt;format&gt;.manifest.json</c>). Nothing is dropped
/// without a count here: every rollout or bug of the run is either written or counted under a reason.
/// </summary>
public sealed record ExportManifest
{
    [JsonPropertyName("format")]
    public required string Format { get; init; }

    [JsonPropertyName("run")]
    public required string Run { get; init; }

    /// <summary>The files written, relative to the output directory.</summary>
    [JsonPropertyName("files")]
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Lines written to the main file.</summary>
    [JsonPropertyName("records")]
    public required int Records { get; init; }

    /// <summary>Rollouts (rl, sft) or bugs (swebench) the run holds for the chosen roles.</summary>
    [JsonPropertyName("candidates")]
    public required int Candidates { get; init; }

    /// <summary>Candidates left out, by reason (<c>dynamic-sampling</c>, <c>staleness</c>, <c>no-token-ids</c>, <c>not-solved</c>, …).</summary>
    [JsonPropertyName("skipped")]
    public required IReadOnlyDictionary<string, int> Skipped { get; init; }

    /// <summary>rl: rollouts written with loss mask 0, by mask reason.</summary>
    [JsonPropertyName("masked")]
    public IReadOnlyDictionary<string, int>? Masked { get; init; }

    /// <summary>rl: groups written.</summary>
    [JsonPropertyName("groups")]
    public int? Groups { get; init; }

    /// <summary>rl: the solver's reward, <c>binary</c> or <c>similarity</c>.</summary>
    [JsonPropertyName("reward")]
    public string? Reward { get; init; }

    [JsonPropertyName("estimator")]
    public string? Estimator { get; init; }

    [JsonPropertyName("lossAggMode")]
    public string? LossAggMode { get; init; }

    /// <summary>rl: the current policy version the staleness filter used.</summary>
    [JsonPropertyName("policyVersion")]
    public int? PolicyVersion { get; init; }

    /// <summary>Every filter decision, with the numbers it rests on.</summary>
    [JsonPropertyName("decisions")]
    public IReadOnlyList<string> Decisions { get; init; } = [];
}
