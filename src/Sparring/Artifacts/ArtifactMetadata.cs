using System.Text.Json.Serialization;

namespace Sparring.Artifacts;

/// <summary>Sparring's <c>metadata.json</c> beside the five SSR files. Artifacts without one load with defaults.</summary>
/// <remarks>Properties with defaults have setters: the JSON source generator sets every init-only property, absent ones to zero.</remarks>
public sealed record ArtifactMetadata
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>How the bug was made: <c>removal</c>, <c>mutation</c>, <c>history</c>, <c>combine</c>, <c>agent</c>, <c>higher-order</c>, or <c>unknown</c>.</summary>
    [JsonPropertyName("strategy")]
    public string Strategy { get; set; } = "unknown";

    /// <summary>1 for an injected bug; 2 for a bug made from a failed solver attempt on an order-1 bug.</summary>
    [JsonPropertyName("order")]
    public int Order { get; set; } = 1;

    /// <summary>The artifact an order-2 bug was made from.</summary>
    [JsonPropertyName("parent")]
    public string? Parent { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The commit of the repository the diffs apply to, when known.</summary>
    [JsonPropertyName("baseCommit")]
    public string? BaseCommit { get; init; }

    /// <summary>A built-in parser name used instead of <c>test_parser.py</c>.</summary>
    [JsonPropertyName("parser")]
    public string? Parser { get; init; }

    /// <summary>The last validation's report, when the artifact was validated.</summary>
    [JsonPropertyName("validation")]
    public ValidationReport? Validation { get; init; }
}
