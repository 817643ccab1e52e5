using System.Text.Json.Serialization;

namespace Sparring.TestUtilities;

/// <summary>The OpenAI error envelope.</summary>
internal sealed record ScriptedModelErrorBody([property: JsonPropertyName("error")] ScriptedModelErrorDetail Error);
