using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>The response side of a <see cref="RecordedCall"/>: enough to rebuild the <see cref="ChatResponse"/>, not the raw body.</summary>
public sealed record RecordedResponse
{
    /// <summary>The response messages, serialised with Microsoft.Extensions.AI's JSON options.</summary>
    [JsonPropertyName("messages")]
    public required JsonElement Messages { get; init; }

    [JsonPropertyName("finishReason")]
    public string? FinishReason { get; init; }

    /// <summary>A <see cref="UsageDetails"/>, serialised with Microsoft.Extensions.AI's JSON options.</summary>
    [JsonPropertyName("usage")]
    public JsonElement? Usage { get; init; }

    [JsonPropertyName("modelId")]
    public string? ModelId { get; init; }

    [JsonPropertyName("responseId")]
    public string? ResponseId { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }

    [JsonPropertyName("turn")]
    public ModelTurn? Turn { get; init; }

    /// <summary>Captures a response.</summary>
    public static RecordedResponse From(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new RecordedResponse
        {
            Messages = ChatMessagesJson.Serialize(response.Messages),
            FinishReason = response.FinishReason?.Value,
            Usage = response.Usage is { } usage ? ChatMessagesJson.Serialize(usage) : null,
            ModelId = response.ModelId,
            ResponseId = response.ResponseId,
            CreatedAt = response.CreatedAt,
            Turn = response.GetModelTurn(),
        };
    }

    /// <summary>Rebuilds the response, with its <see cref="ModelTurn"/> attached.</summary>
    public ChatResponse ToChatResponse()
    {
        var response = new ChatResponse(ChatMessagesJson.DeserializeMessages(Messages))
        {
            FinishReason = string.IsNullOrWhiteSpace(FinishReason) ? null : new ChatFinishReason(FinishReason),
            Usage = Usage is { } usage ? ChatMessagesJson.DeserializeUsage(usage) : null,
            ModelId = ModelId,
            ResponseId = ResponseId,
            CreatedAt = CreatedAt,
        };
        return Turn is null ? response : response.WithModelTurn(Turn);
    }
}
