using System.Text.Json.Serialization;

namespace Sparring.Agents.Internal;

/// <summary>JSON of trajectory journals: one compact line per record (JSON Lines).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Trajectory))]
[JsonSerializable(typeof(JournalStep))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
