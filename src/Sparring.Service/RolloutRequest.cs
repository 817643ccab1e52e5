using System.Text.Json.Serialization;

namespace Sparring.Service;

/// <summary>
/// What a trainer submits to <c>POST /v1/rollouts</c>: bug tasks, the policy to roll out (an OpenAI-compatible
/// endpoint and its version), and how many rollouts per task (the group).
/// </summary>
/// <remarks>Properties with defaults have setters: the JSON source generator sets every init-only property, absent ones to null.</remarks>
public sealed record RolloutRequest
{
    [JsonPropertyName("tasks")]
    public required IReadOnlyList<RolloutTask> Tasks { get; init; }

    [JsonPropertyName("policy")]
    public required PolicyEndpoint Policy { get; init; }

    /// <summary>Rollouts per task (the GRPO group size); SSR uses 8.</summary>
    [JsonPropertyName("groupSize")]
    public int GroupSize { get; set; } = 8;

    /// <summary><c>grpo</c>, <c>drgrpo</c> or <c>rloo</c>.</summary>
    [JsonPropertyName("estimator")]
    public string Estimator { get; set; } = "grpo";

    /// <summary>
    /// The solver's reward: <c>binary</c> (±1 as graded) or <c>similarity</c> (SWE-RL's similarity of the patch to the
    /// bug's fix; −1 for no, malformed or tampered patches).
    /// </summary>
    [JsonPropertyName("reward")]
    public string Reward { get; set; } = "binary";

    /// <summary>Recorded on every record (verl's <c>loss_agg_mode</c>).</summary>
    [JsonPropertyName("lossAggMode")]
    public string LossAggMode { get; set; } = "token-mean";

    /// <summary>Mask rollouts cut off by a turn, token or time limit (compact filtering).</summary>
    [JsonPropertyName("compactFiltering")]
    public bool CompactFiltering { get; set; } = true;

    [JsonPropertyName("agent")]
    public RolloutAgentSettings Agent { get; set; } = new();
}

/// <summary>One bug task: a repository and an SSR artifact directory, both paths on the service's machine.</summary>
public sealed record RolloutTask
{
    /// <summary>The task's id in the results (default: the artifact's id).</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("repo")]
    public required string Repo { get; init; }

    [JsonPropertyName("artifact")]
    public required string Artifact { get; init; }

    /// <summary>The commit the artifact applies to (default: its metadata's baseCommit, else HEAD).</summary>
    [JsonPropertyName("commit")]
    public string? Commit { get; init; }
}

/// <summary>The policy: an OpenAI-compatible server, the model name it serves, and the trainer's version of it.</summary>
public sealed record PolicyEndpoint
{
    /// <summary>The API base, e.g. <c>http://10.0.0.5:8000/v1</c>.</summary>
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("apiKey")]
    public string? ApiKey { get; init; }

    /// <summary>The trainer's update counter; every record carries it (staleness filtering happens trainer-side).</summary>
    [JsonPropertyName("version")]
    public int Version { get; init; }
}

/// <summary>The agent's budgets and sampling; unset values take the agent defaults (docs/agents.md).</summary>
public sealed record RolloutAgentSettings
{
    /// <summary><c>native</c> (tool calls) or <c>text</c> (CWM text actions).</summary>
    [JsonPropertyName("actionFormat")]
    public string ActionFormat { get; set; } = "native";

    [JsonPropertyName("maxTurns")]
    public int? MaxTurns { get; init; }

    [JsonPropertyName("maxTokens")]
    public long? MaxTokens { get; init; }

    [JsonPropertyName("wallClockSeconds")]
    public double? WallClockSeconds { get; init; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; init; }

    [JsonPropertyName("topP")]
    public float? TopP { get; init; }

    [JsonPropertyName("maxOutputTokens")]
    public int? MaxOutputTokens { get; init; }

    /// <summary><c>full</c> or <c>cwm</c>.</summary>
    [JsonPropertyName("toolSet")]
    public string ToolSet { get; set; } = "full";
}
