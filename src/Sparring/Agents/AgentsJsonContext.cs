using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparring.Agents;

/// <summary>JSON for the Agents part (trajectories, tool arguments).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Trajectory))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class AgentsJsonContext : JsonSerializerContext;
