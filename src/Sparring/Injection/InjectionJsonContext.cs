using System.Text.Json.Serialization;

namespace Sparring.Injection;

/// <summary>JSON for the Injection part; names fixed by <c>JsonPropertyName</c> where a file format fixes them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InjectionReport))]
public sealed partial class InjectionJsonContext : JsonSerializerContext;
