using Microsoft.Extensions.AI;

namespace Sparring.Llm;

/// <summary>
/// Wraps a chat client in Sparring's decorators. Each call returns the new outer client, so the last one applied
/// runs first: <c>new OpenAiCompatibleChatClient(o).UseSparringRetries(o).UseUsageAccounting(out var usage).UseRecording(path)</c>
/// records what the caller sees, counts each call once and retries the HTTP calls.
/// </summary>
/// <remarks>Extensions on <see cref="IChatClient"/> because <c>ChatClientBuilder</c> lives in Microsoft.Extensions.AI, which Sparring does not reference.</remarks>
public static class ChatClientPipelineExtensions
{
    /// <summary>Retries transient failures as <paramref name="options"/> says (see <see cref="RetryingChatClient"/>).</summary>
    public static IChatClient UseSparringRetries(this IChatClient client, ModelClientOptions options, TimeProvider? time = null, Random? random = null) =>
        new RetryingChatClient(client, options, time, random);

    /// <summary>Appends every call to the JSONL file at <paramref name="path"/> (see <see cref="RecordingChatClient"/>).</summary>
    public static IChatClient UseRecording(this IChatClient client, string path) => new RecordingChatClient(client, path);

    /// <summary>Counts calls, tokens, time and retries; <paramref name="accounting"/> is the new client, whose <see cref="UsageAccountingChatClient.Usage"/> to read.</summary>
    public static IChatClient UseUsageAccounting(this IChatClient client, out UsageAccountingChatClient accounting, TimeProvider? time = null)
    {
        accounting = new UsageAccountingChatClient(client, time);
        return accounting;
    }
}
