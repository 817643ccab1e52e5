using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Sparring.Llm.Internal;

/// <summary>Messages and usage as JSON, with Microsoft.Extensions.AI's own options (its content type discriminators).</summary>
internal static class ChatMessagesJson
{
    private static JsonTypeInfo<IList<ChatMessage>> MessagesInfo => (JsonTypeInfo<IList<ChatMessage>>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IList<ChatMessage>));

    private static JsonTypeInfo<UsageDetails> UsageInfo => (JsonTypeInfo<UsageDetails>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(UsageDetails));

    public static JsonElement Serialize(IEnumerable<ChatMessage> messages) =>
        JsonSerializer.SerializeToElement(messages as IList<ChatMessage> ?? messages.ToList(), MessagesInfo);

    public static JsonElement Serialize(UsageDetails usage) => JsonSerializer.SerializeToElement(usage, UsageInfo);

    public static IList<ChatMessage> DeserializeMessages(JsonElement json) => json.Deserialize(MessagesInfo) ?? [];

    public static UsageDetails? DeserializeUsage(JsonElement json) => json.Deserialize(UsageInfo);
}
