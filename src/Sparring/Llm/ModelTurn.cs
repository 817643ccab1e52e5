using System.Text.Json.Serialization;

namespace Sparring.Llm;

/// <summary>
/// What RL needs from one model call, beyond the message: the token ids of the prompt and of the completion,
/// per-token logprobs, the finish reason, usage and latency. Reached from a response with
/// <see cref="ChatResponseExtensions.GetModelTurn"/>.
/// </summary>
/// <remarks>Lists are null when the server did not return them (a plain OpenAI endpoint returns no token ids).</remarks>
public sealed record ModelTurn
{
    /// <summary>The model name the server answered with.</summary>
    [JsonPropertyName("model")]
    public string? Model { get; init; }

    /// <summary>The server's finish reason, as sent (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, …).</summary>
    [JsonPropertyName("finishReason")]
    public string? FinishReason { get; init; }

    [JsonPropertyName("promptTokenIds")]
    public IReadOnlyList<int>? PromptTokenIds { get; init; }

    [JsonPropertyName("completionTokenIds")]
    public IReadOnlyList<int>? CompletionTokenIds { get; init; }

    /// <summary>One entry per completion token, in order.</summary>
    [JsonPropertyName("logprobs")]
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }

    [JsonPropertyName("promptTokens")]
    public int? PromptTokens { get; init; }

    [JsonPropertyName("completionTokens")]
    public int? CompletionTokens { get; init; }

    /// <summary>Wall time of the call that succeeded, in milliseconds (retries not included).</summary>
    [JsonPropertyName("latencyMs")]
    public double LatencyMs { get; init; }

    /// <summary>HTTP requests made for this turn: 1 plus the retries.</summary>
    [JsonPropertyName("attempts")]
    public int Attempts { get; init; } = 1;
}
