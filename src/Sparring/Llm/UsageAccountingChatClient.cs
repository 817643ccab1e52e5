using Microsoft.Extensions.AI;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>
/// Counts calls, tokens, time and retries of everything that passes through; read <see cref="Usage"/> at any time.
/// Place it outside <see cref="RetryingChatClient"/> so retries are counted once per call.
/// </summary>
/// <remarks>Thread-safe: <see cref="Usage"/> is an immutable snapshot replaced under a lock.</remarks>
public sealed class UsageAccountingChatClient : DelegatingChatClient
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ModelUsage _usage = new();

    /// <param name="innerClient">The client whose calls are counted.</param>
    /// <param name="time">Measures the wall time of calls.</param>
    public UsageAccountingChatClient(IChatClient innerClient, TimeProvider? time = null)
        : base(innerClient) => _time = time ?? TimeProvider.System;

    /// <summary>Everything counted so far.</summary>
    public ModelUsage Usage
    {
        get
        {
            lock (_gate)
            {
                return _usage;
            }
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            var turn = response.GetModelTurn();
            Add(u => u with
            {
                Calls = u.Calls + 1,
                PromptTokens = u.PromptTokens + (turn?.PromptTokens ?? response.Usage?.InputTokenCount ?? 0),
                CompletionTokens = u.CompletionTokens + (turn?.CompletionTokens ?? response.Usage?.OutputTokenCount ?? 0),
                Latency = u.Latency + _time.GetElapsedTime(started),
                Retries = u.Retries + ((turn?.Attempts ?? 1) - 1),
            });
            return response;
        }
        catch (ModelServerException ex)
        {
            Add(u => u with
            {
                FailedCalls = u.FailedCalls + 1,
                Latency = u.Latency + _time.GetElapsedTime(started),
                Retries = u.Retries + (ex.Attempts - 1),
            });
            throw;
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        WholeResponseStream.StreamAsync(this, messages, options, cancellationToken);

    private void Add(Func<ModelUsage, ModelUsage> update)
    {
        lock (_gate)
        {
            _usage = update(_usage);
        }
    }
}
