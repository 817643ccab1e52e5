using System.Text.Json.Serialization;

namespace Sparring.Testing;

/// <summary>JSON for the Testing part's records (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TestRun))]
[JsonSerializable(typeof(TestPlan))]
[JsonSerializable(typeof(PreparationRecord))]
public sealed partial class TestingJsonContext : JsonSerializerContext;
