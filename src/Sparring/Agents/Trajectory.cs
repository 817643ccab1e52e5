using System.Text.Json.Serialization;

namespace Sparring.Agents;

/// <summary>
/// One episode, linear: every message sent and received, with the RL data of each model call, the tool
/// observations, the budgets and how the episode ended. Persisted after every step (docs/formats.md).
/// </summary>
public sealed record Trajectory
{
    /// <summary>Bumped when a field changes meaning.</summary>
    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>solver</c> or <c>injector</c> (or a caller's own role).</summary>
    [JsonPropertyName("role")]
    public required string Role { get; init; }

    [JsonPropertyName("model")]
    public string? Model { get; init; }

    /// <summary>The bug artifact or repository the episode worked on.</summary>
    [JsonPropertyName("task")]
    public string? Task { get; init; }

    [JsonPropertyName("actionFormat")]
    public required string ActionFormat { get; init; }

    [JsonPropertyName("startedAt")]
    public required DateTimeOffset StartedAt { get; init; }

    [JsonPropertyName("budgets")]
    public required TrajectoryBudgets Budgets { get; init; }

    /// <summary>The tools offered, by name.</summary>
    [JsonPropertyName("tools")]
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>The tools as the model was offered them (native format): what an SFT export passes as <c>tools</c>.</summary>
    [JsonPropertyName("toolDefinitions")]
    public IReadOnlyList<TrajectoryToolDefinition>? ToolDefinitions { get; init; }

    [JsonPropertyName("messages")]
    public List<TrajectoryMessage> Messages { get; init; } = [];

    /// <summary>Null while the episode runs.</summary>
    [JsonPropertyName("exit")]
    public AgentExit? Exit { get; set; }

    /// <summary>What the exit rests on: the model error, the last format error, the budget reached.</summary>
    [JsonPropertyName("exitDetail")]
    public string? ExitDetail { get; set; }

    /// <summary>The submitted patch (solver) or artifact folder (injector).</summary>
    [JsonPropertyName("submission")]
    public string? Submission { get; set; }

    [JsonPropertyName("turns")]
    public int Turns { get; set; }

    [JsonPropertyName("promptTokens")]
    public long PromptTokens { get; set; }

    [JsonPropertyName("completionTokens")]
    public long CompletionTokens { get; set; }

    [JsonPropertyName("formatErrors")]
    public int FormatErrors { get; set; }

    [JsonPropertyName("durationMs")]
    public double DurationMs { get; set; }

    /// <summary>Outcome fields the role adds after the episode (e.g. <c>solved</c>, <c>valid</c>).</summary>
    [JsonPropertyName("outcome")]
    public Dictionary<string, string>? Outcome { get; set; }
}

/// <summary>The limits an episode ran under.</summary>
public sealed record TrajectoryBudgets(
    [property: JsonPropertyName("maxTurns")] int MaxTurns,
    [property: JsonPropertyName("maxTokens")] long MaxTokens,
    [property: JsonPropertyName("wallClockSeconds")] double WallClockSeconds,
    [property: JsonPropertyName("keepObservations")] int KeepObservations,
    [property: JsonPropertyName("maxConsecutiveFormatErrors")] int MaxConsecutiveFormatErrors);

/// <summary>A tool's definition as sent to the model: name, description and the JSON schema of its arguments.</summary>
public sealed record TrajectoryToolDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("parameters")] System.Text.Json.JsonElement Parameters);
