using System.Text.Json.Serialization;

namespace Sparring.Agents.Tools;

/// <summary>What a tool call returned to the model. An error is data the model reads, not an exception.</summary>
public sealed record ToolResult
{
    /// <summary>The observation shown to the model (already capped).</summary>
    [JsonPropertyName("output")]
    public required string Output { get; init; }

    [JsonPropertyName("isError")]
    public bool IsError { get; init; }

    /// <summary>True when the call ended the episode by submitting (<see cref="Submission"/> holds what was submitted).</summary>
    [JsonPropertyName("submitted")]
    public bool Submitted { get; init; }

    /// <summary>The submitted patch (solver) or a note on the submitted artifact (injector); null unless <see cref="Submitted"/>.</summary>
    [JsonPropertyName("submission")]
    public string? Submission { get; init; }

    [JsonPropertyName("durationMs")]
    public double DurationMs { get; init; }

    public static ToolResult Ok(string output) => new() { Output = output };

    public static ToolResult Error(string output) => new() { Output = output, IsError = true };
}
