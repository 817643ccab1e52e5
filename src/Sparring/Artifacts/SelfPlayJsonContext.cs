using System.Text.Json.Serialization;
using Sparring.Grading;
using Sparring.Injection;
using Sparring.Runs;

namespace Sparring.Artifacts;

/// <summary>JSON for the SelfPlay part; names fixed by <c>JsonPropertyName</c> where a file format fixes them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ArtifactMetadata))]
[JsonSerializable(typeof(ValidationReport))]
[JsonSerializable(typeof(GradeResult))]
[JsonSerializable(typeof(Injection.InjectionReport))]
[JsonSerializable(typeof(Runs.RunSummary))]
public sealed partial class SelfPlayJsonContext : JsonSerializerContext;
