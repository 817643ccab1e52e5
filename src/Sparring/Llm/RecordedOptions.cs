using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Sparring.Llm;

/// <summary>What a <see cref="RecordedCall"/> keeps of the <see cref="ChatOptions"/>: sampling and the tool names.</summary>
public sealed record RecordedOptions
{
    [JsonPropertyName("modelId")]
    public string? ModelId { get; init; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; init; }

    [JsonPropertyName("topP")]
    public float? TopP { get; init; }

    [JsonPropertyName("topK")]
    public int? TopK { get; init; }

    [JsonPropertyName("maxOutputTokens")]
    public int? MaxOutputTokens { get; init; }

    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    [JsonPropertyName("stop")]
    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary>The names of the tools offered.</summary>
    [JsonPropertyName("tools")]
    public IReadOnlyList<string>? Tools { get; init; }

    /// <summary><c>auto</c>, <c>none</c>, <c>required</c> or <c>required:NAME</c>.</summary>
    [JsonPropertyName("toolMode")]
    public string? ToolMode { get; init; }

    /// <summary>The names of the extra request fields (<see cref="ChatOptions.AdditionalProperties"/>).</summary>
    [JsonPropertyName("extra")]
    public IReadOnlyList<string>? Extra { get; init; }

    public static RecordedOptions From(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RecordedOptions
        {
            ModelId = options.ModelId,
            Temperature = options.Temperature,
            TopP = options.TopP,
            TopK = options.TopK,
            MaxOutputTokens = options.MaxOutputTokens,
            Seed = options.Seed,
            StopSequences = options.StopSequences is { Count: > 0 } stop ? [.. stop] : null,
            Tools = options.Tools is { Count: > 0 } tools ? tools.Select(t => t.Name).ToList() : null,
            ToolMode = options.ToolMode switch
            {
                null => null,
                NoneChatToolMode => "none",
                AutoChatToolMode => "auto",
                RequiredChatToolMode { RequiredFunctionName: null } => "required",
                RequiredChatToolMode required => "required:" + required.RequiredFunctionName,
                var other => other.ToString(),
            },
            Extra = options.AdditionalProperties is { Count: > 0 } extra ? extra.Keys.ToList() : null,
        };
    }
}
