using System.Text.Json.Serialization;

namespace Sparring.Runs;

/// <summary>JSON for the Runs part; names fixed by <c>JsonPropertyName</c> where a file format fixes them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunSummary))]
public sealed partial class RunsJsonContext : JsonSerializerContext;
