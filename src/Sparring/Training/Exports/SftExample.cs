using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparring.Training;

/// <summary>One line of an <c>sft</c> export: a successful trajectory in OpenAI's chat fine-tuning format.</summary>
public sealed record SftExample
{
    [JsonPropertyName("messages")]
    public required IReadOnlyList<SftMessage> Messages { get; init; }

    /// <summary>The tools the model was offered (native tool calls); absent for text-action trajectories.</summary>
    [JsonPropertyName("tools")]
    public IReadOnlyList<SftTool>? Tools { get; init; }

    /// <summary>False: the agent makes one call per turn.</summary>
    [JsonPropertyName("parallel_tool_calls")]
    public bool? ParallelToolCalls { get; init; }
}

/// <summary>A chat message; <see cref="Weight"/> only on assistant messages (0 = do not train on it).</summary>
public sealed record SftMessage
{
    [JsonPropertyName("role")]
    public required string Role { get; init; }

    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Content { get; init; }

    [JsonPropertyName("tool_calls")]
    public IReadOnlyList<SftToolCall>? ToolCalls { get; init; }

    [JsonPropertyName("tool_call_id")]
    public string? ToolCallId { get; init; }

    [JsonPropertyName("weight")]
    public int? Weight { get; init; }
}

public sealed record SftToolCall(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("function")] SftFunctionCall Function);

public sealed record SftFunctionCall(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments);

public sealed record SftTool(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("function")] SftFunction Function);

public sealed record SftFunction(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("parameters")] JsonElement Parameters);
