using System.Text.Json.Serialization;

namespace Sparring.TestUtilities;

/// <summary>One entry of <c>GET /v1/models</c>.</summary>
internal sealed record ScriptedModelCard(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);
