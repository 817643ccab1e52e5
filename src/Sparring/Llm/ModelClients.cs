using Microsoft.Extensions.AI;

namespace Sparring.Llm;

/// <summary>The one place the standard model client is composed.</summary>
public static class ModelClients
{
    /// <summary>
    /// The client for a model server: recording (when <paramref name="recordPath"/> is set) → usage accounting →
    /// retries → <see cref="OpenAiCompatibleChatClient"/>. The accounting is reachable with
    /// <c>client.GetService&lt;UsageAccountingChatClient&gt;()</c>.
    /// </summary>
    /// <param name="options">Validated here.</param>
    /// <param name="recordPath">A JSONL file every call is appended to (see <see cref="RecordingChatClient"/>).</param>
    /// <param name="time">Runs timeouts and backoff and measures latency.</param>
    public static IChatClient Create(ModelClientOptions options, string? recordPath = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var client = new OpenAiCompatibleChatClient(options, httpClient: null, time)
            .UseSparringRetries(options, time)
            .UseUsageAccounting(out _, time);
        return recordPath is null ? client : client.UseRecording(recordPath);
    }
}
