using System.Text.Json.Serialization;

namespace Sparring.Service;

/// <summary>JSON of the rollout service's HTTP API.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RolloutRequest))]
[JsonSerializable(typeof(RolloutJob))]
[JsonSerializable(typeof(ServiceError))]
[JsonSerializable(typeof(ServiceHealth))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;

/// <summary>The body of every 4xx answer.</summary>
public sealed record ServiceError([property: JsonPropertyName("error")] string Error);

/// <summary><c>GET /v1/health</c>.</summary>
public sealed record ServiceHealth(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("jobs")] IReadOnlyDictionary<string, int> Jobs);
