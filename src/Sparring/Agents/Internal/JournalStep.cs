using System.Text.Json.Serialization;

namespace Sparring.Agents.Internal;

/// <summary>
/// One line of a trajectory journal after the first: the messages added since the line before, and the counters and
/// ending as they stand after the step (whole values, not increments, so a reader needs only the last line's).
/// </summary>
internal sealed record JournalStep
{
    [JsonPropertyName("messages")]
    public required IReadOnlyList<TrajectoryMessage> Messages { get; init; }

    [JsonPropertyName("turns")]
    public int Turns { get; init; }

    [JsonPropertyName("promptTokens")]
    public long PromptTokens { get; init; }

    [JsonPropertyName("completionTokens")]
    public long CompletionTokens { get; init; }

    [JsonPropertyName("formatErrors")]
    public int FormatErrors { get; init; }

    [JsonPropertyName("durationMs")]
    public double DurationMs { get; init; }

    [JsonPropertyName("exit")]
    public AgentExit? Exit { get; init; }

    [JsonPropertyName("exitDetail")]
    public string? ExitDetail { get; init; }

    [JsonPropertyName("submission")]
    public string? Submission { get; init; }

    [JsonPropertyName("outcome")]
    public Dictionary<string, string>? Outcome { get; init; }
}
