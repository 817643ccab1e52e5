using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>
/// Answers calls from a recording (see <see cref="RecordingChatClient"/>), in order, without a server: each response
/// comes back with its <see cref="ModelTurn"/>, each recorded failure is rethrown.
/// </summary>
/// <remarks>
/// <para>Each request's messages, serialised as JSON, must equal the recorded ones; a different request or a call
/// beyond the recording throws <see cref="ModelServerException"/> with <see cref="ModelErrorKind.ReplayMismatch"/>
/// naming the call. Options are not compared.</para>
/// <para>Thread-safe, but meant for one sequential episode.</para>
/// </remarks>
public sealed class ReplayChatClient : IChatClient
{
    private readonly List<RecordedCall> _calls;
    private readonly string _source;
    private readonly ChatClientMetadata _metadata;
    private int _next;

    /// <param name="calls">The recorded calls, in order.</param>
    /// <param name="source">Names the recording in error messages (its path).</param>
    public ReplayChatClient(IEnumerable<RecordedCall> calls, string source = "the recording")
    {
        ArgumentNullException.ThrowIfNull(calls);
        _calls = calls.ToList();
        _source = source;
        _metadata = new ChatClientMetadata("replay", null, _calls.Select(c => c.Response?.ModelId).FirstOrDefault(m => m is not null));
    }

    /// <summary>Calls in the recording.</summary>
    public int Count => _calls.Count;

    /// <summary>Calls answered so far.</summary>
    public int Position => Math.Min(Volatile.Read(ref _next), _calls.Count);

    /// <summary>Reads a recording; a line that is not a <see cref="RecordedCall"/> throws <see cref="ModelServerException"/> naming the line.</summary>
    public static async Task<ReplayChatClient> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var calls = new List<RecordedCall>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                calls.Add(JsonSerializer.Deserialize(lines[i], LlmJsonContext.Default.RecordedCall)
                    ?? throw new JsonException("the line is null"));
            }
            catch (JsonException ex)
            {
                throw new ModelServerException(ModelErrorKind.ReplayMismatch, $"{path}:{i + 1} is not a recorded call: {ex.Message}", innerException: ex);
            }
        }

        return new ReplayChatClient(calls, path);
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<ChatResponse>(cancellationToken);
        }

        try
        {
            return Task.FromResult(Answer(messages));
        }
        catch (ModelServerException ex)
        {
            // Faults the task like a real client would, rather than throwing from the call.
            return Task.FromException<ChatResponse>(ex);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        WholeResponseStream.StreamAsync(this, messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
    }

    private ChatResponse Answer(IEnumerable<ChatMessage> messages)
    {
        var index = Interlocked.Increment(ref _next) - 1;
        if (index >= _calls.Count)
        {
            throw new ModelServerException(ModelErrorKind.ReplayMismatch, $"replay call {index}: {_source} holds only {_calls.Count} calls; the run made more calls than the recorded one");
        }

        var call = _calls[index];
        var actual = ChatMessagesJson.Serialize(messages);
        if (!JsonElement.DeepEquals(actual, call.Request.Messages))
        {
            throw new ModelServerException(ModelErrorKind.ReplayMismatch, $"replay call {index}: the request differs from the one in {_source}: {Difference(call.Request.Messages, actual)}");
        }

        if (call.Error is { } error)
        {
            throw error.ToException();
        }

        var response = call.Response ?? throw new ModelServerException(ModelErrorKind.ReplayMismatch, $"replay call {index}: {_source} has neither a response nor an error for it");
        return response.ToChatResponse();
    }

    /// <summary>Where two message lists first differ, for the error message.</summary>
    private static string Difference(JsonElement recorded, JsonElement actual)
    {
        var expected = recorded.ValueKind == JsonValueKind.Array ? recorded.EnumerateArray().ToList() : [];
        var got = actual.EnumerateArray().ToList();
        for (var i = 0; i < Math.Min(expected.Count, got.Count); i++)
        {
            if (!JsonElement.DeepEquals(expected[i], got[i]))
            {
                return $"message {i} differs (recorded {Start(expected[i].GetRawText())}, got {Start(got[i].GetRawText())})";
            }
        }

        return $"{got.Count} messages where {expected.Count} were recorded";
    }

    private static string Start(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "…");
}
