using System.Text.Json.Serialization;

namespace Sparring.Llm;

/// <summary>A snapshot of what a <see cref="UsageAccountingChatClient"/> has counted.</summary>
public sealed record ModelUsage
{
    /// <summary>Calls that returned a response.</summary>
    [JsonPropertyName("calls")]
    public int Calls { get; init; }

    /// <summary>Calls that threw a <see cref="ModelServerException"/>.</summary>
    [JsonPropertyName("failedCalls")]
    public int FailedCalls { get; init; }

    [JsonPropertyName("promptTokens")]
    public long PromptTokens { get; init; }

    [JsonPropertyName("completionTokens")]
    public long CompletionTokens { get; init; }

    [JsonIgnore]
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Wall time spent in calls, retries and backoff included, successful or not.</summary>
    [JsonPropertyName("latency")]
    public TimeSpan Latency { get; init; }

    /// <summary>HTTP requests beyond the first per call (from <see cref="ModelTurn.Attempts"/> and <see cref="ModelServerException.Attempts"/>).</summary>
    [JsonPropertyName("retries")]
    public int Retries { get; init; }
}
