using System.Text.Json.Serialization;

namespace Sparring.TestUtilities;

/// <summary>The inside of the OpenAI error envelope.</summary>
internal sealed record ScriptedModelErrorDetail(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("code")] int Code);
