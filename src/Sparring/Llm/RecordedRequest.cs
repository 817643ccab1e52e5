using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>The request side of a <see cref="RecordedCall"/>.</summary>
public sealed record RecordedRequest
{
    /// <summary>The messages, serialised with Microsoft.Extensions.AI's JSON options (what replay compares).</summary>
    [JsonPropertyName("messages")]
    public required JsonElement Messages { get; init; }

    /// <summary>A summary of the options (informational; replay does not compare it).</summary>
    [JsonPropertyName("options")]
    public RecordedOptions? Options { get; init; }

    /// <summary>Captures a request.</summary>
    public static RecordedRequest From(IEnumerable<ChatMessage> messages, ChatOptions? options) => new()
    {
        Messages = ChatMessagesJson.Serialize(messages),
        Options = options is null ? null : RecordedOptions.From(options),
    };
}
