using System.Text.Json.Serialization;

namespace Sparring.TestUtilities;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
internal sealed record ScriptedModelList(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<ScriptedModelCard> Data);
