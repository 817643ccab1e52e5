using System.Text.Json.Serialization;
using Sparring.Agents;
using Sparring.Artifacts;

namespace Sparring.Injection;

/// <summary>One injector episode and the validation of what it submitted.</summary>
public sealed record InjectAttempt
{
    [JsonPropertyName("attempt")]
    public required int Attempt { get; init; }

    /// <summary>True when the submitted artifact passed every validation check (and was written).</summary>
    [JsonPropertyName("valid")]
    public required bool Valid { get; init; }

    /// <summary>The first failed check, <c>no-artifact</c> when nothing usable was submitted, or null.</summary>
    [JsonPropertyName("failedCheck")]
    public string? FailedCheck { get; init; }

    [JsonPropertyName("exit")]
    public required AgentExit Exit { get; init; }

    [JsonPropertyName("exitDetail")]
    public string? ExitDetail { get; init; }

    [JsonPropertyName("turns")]
    public int Turns { get; init; }

    [JsonPropertyName("tokens")]
    public long Tokens { get; init; }

    [JsonPropertyName("trajectory")]
    public string? TrajectoryPath { get; init; }

    /// <summary>Where the valid artifact was written.</summary>
    [JsonPropertyName("artifact")]
    public string? ArtifactPath { get; init; }

    [JsonPropertyName("validation")]
    public ValidationReport? Validation { get; init; }

    [JsonPropertyName("durationMs")]
    public double DurationMs { get; init; }
}
