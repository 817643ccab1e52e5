using System.Text.Json.Serialization;

namespace Sparring.Grading;

/// <summary>JSON for the Grading part; names fixed by <c>JsonPropertyName</c> where a file format fixes them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GradeResult))]
public sealed partial class GradingJsonContext : JsonSerializerContext;
