using System.Text.Json.Serialization;

namespace Sparring.Artifacts;

/// <summary>JSON for the Artifacts part; names fixed by <c>JsonPropertyName</c> where a file format fixes them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ArtifactMetadata))]
[JsonSerializable(typeof(ValidationReport))]
public sealed partial class ArtifactsJsonContext : JsonSerializerContext;
