using System.Text.Json.Serialization;

namespace Sparring.Llm;

/// <summary>
/// One model call in a recording (a JSONL file, one call per line, in the order the calls completed):
/// what was asked, and either the response or the error. Written by <see cref="RecordingChatClient"/>, read by
/// <see cref="ReplayChatClient"/>.
/// </summary>
public sealed record RecordedCall
{
    /// <summary>0-based position of the call in the recording.</summary>
    [JsonPropertyName("index")]
    public required int Index { get; init; }

    [JsonPropertyName("request")]
    public required RecordedRequest Request { get; init; }

    /// <summary>The answer, when the call succeeded.</summary>
    [JsonPropertyName("response")]
    public RecordedResponse? Response { get; init; }

    /// <summary>The failure, when the call threw a <see cref="ModelServerException"/>.</summary>
    [JsonPropertyName("error")]
    public RecordedError? Error { get; init; }
}
