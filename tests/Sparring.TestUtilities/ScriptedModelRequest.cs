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

    /// <summary>The messages as sent, the text the prompt tokens are derived from.</summary>
    public string MessagesJson =>
        Body.RootElement.TryGetProperty("messages", out var value) ? value.GetRawText() : "[]";
}
