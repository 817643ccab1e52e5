using System.Text.Json.Serialization;

namespace Sparring.Llm;

/// <summary>JSON for the Llm part: recordings (one <see cref="RecordedCall"/> per line) and model turns.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordedCall))]
[JsonSerializable(typeof(ModelTurn))]
[JsonSerializable(typeof(ModelUsage))]
public sealed partial class LlmJsonContext : JsonSerializerContext;
