using System.Text.Json;

namespace Sparring.TestUtilities;

/// <summary>What a reply needs to know about the request it answers.</summary>
/// <param name="Body">The parsed request body.</param>
/// <param name="Sequence">0-based number of the reply served (ids and timestamps derive from it, so runs are deterministic).</param>
/// <param name="Model">The served model name.</param>
internal sealed record ScriptedModelRequest(JsonDocument Body, int Sequence, string Model)
{
    public bool Flag(string name) =>
        Body.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public int TopLogprobs =>
        Body.RootElement.TryGetProperty("top_logprobs", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

    /// <summary>
    /// The prompt as a chat template would tokenise it: per message a role marker, the content's tokens, each tool
    /// call's name and arguments, an end marker; then the generation prompt (the assistant marker). An assistant
    /// message sent back verbatim tokenises exactly as its completion did, so a conversation's prompts extend one
    /// another (what token-in-token-out trainers rely on) until the client rewrites an earlier message.
    /// </summary>
    public IReadOnlyList<string> PromptTokens()
    {
        var tokens = new List<string>();
        if (Body.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                var role = message.TryGetProperty("role", out var r) ? r.GetString() ?? "" : "";
                tokens.Add(ScriptedModelTokenizer.Marker(role));
                if (message.TryGetProperty("content", out var content))
                {
                    tokens.AddRange(ScriptedModelTokenizer.Tokens(Text(content)));
                }

                if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var function = call.GetProperty("function");
                        tokens.AddRange(ScriptedModelTokenizer.Tokens(function.GetProperty("name").GetString() ?? ""));
                        tokens.AddRange(ScriptedModelTokenizer.Tokens(function.GetProperty("arguments").GetString() ?? ""));
                    }
                }

                tokens.Add(ScriptedModelTokenizer.Marker("end"));
            }
        }

        tokens.Add(ScriptedModelTokenizer.Marker("assistant"));
        return tokens;
    }

    /// <summary>The ids of the tool calls in the last assistant message, as the server issued them (<c>call_SEQ_I</c>).</summary>
    public IEnumerable<string> LastAssistantToolCallIds()
    {
        if (!Body.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var last = messages.EnumerateArray().LastOrDefault(m => m.TryGetProperty("role", out var r) && r.GetString() == "assistant");
        return last.ValueKind == JsonValueKind.Object && last.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array
            ? calls.EnumerateArray().Select(c => c.TryGetProperty("id", out var id) ? id.GetString() ?? "" : "").ToList()
            : [];
    }

    /// <summary>True when the conversation has no assistant message yet (a new episode).</summary>
    public bool StartsConversation =>
        !Body.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array
        || !messages.EnumerateArray().Any(m => m.TryGetProperty("role", out var r) && r.GetString() == "assistant");

    private static string Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? "",
        JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : "")),
        _ => "",
    };
}
