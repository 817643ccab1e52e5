using System.Text.Json.Serialization;
using Sparring.Llm;

namespace Sparring.Agents;

/// <summary>One message of a trajectory, exactly as the model saw or wrote it (before context folding).</summary>
public sealed record TrajectoryMessage
{
    /// <summary><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    [JsonPropertyName("role")]
    public required string Role { get; init; }

    [JsonPropertyName("content")]
    public required string Content { get; init; }

    /// <summary>Native tool calls of an assistant message.</summary>
    [JsonPropertyName("toolCalls")]
    public IReadOnlyList<TrajectoryToolCall>? ToolCalls { get; init; }

    /// <summary>For an observation: the tool that produced it (a <c>user</c> message in the text format, a <c>tool</c> message natively).</summary>
    [JsonPropertyName("toolName")]
    public string? ToolName { get; init; }

    [JsonPropertyName("toolCallId")]
    public string? ToolCallId { get; init; }

    [JsonPropertyName("isError")]
    public bool? IsError { get; init; }

    /// <summary>On an assistant message whose action was unusable: why (rejection fine-tuning masks these turns).</summary>
    [JsonPropertyName("formatError")]
    public string? FormatError { get; init; }

    /// <summary>On an assistant message: token ids, logprobs, usage and latency of the call.</summary>
    [JsonPropertyName("turn")]
    public ModelTurn? Turn { get; init; }

    /// <summary>Milliseconds since the episode started.</summary>
    [JsonPropertyName("atMs")]
    public double AtMs { get; init; }

    /// <summary>How long the tool call took, for observations.</summary>
    [JsonPropertyName("durationMs")]
    public double? DurationMs { get; init; }
}

/// <summary>A native tool call as the model sent it.</summary>
public sealed record TrajectoryToolCall(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments);
