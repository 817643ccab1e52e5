using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>
/// Appends every call that passes through — the request messages with an options summary, and the response
/// (messages, finish reason, usage, <see cref="ModelTurn"/>) or the <see cref="ModelServerException"/> — as one JSON
/// line (<see cref="RecordedCall"/>) to <see cref="Path"/>, flushed per call. <see cref="ReplayChatClient"/> plays a
/// recording back without a server.
/// </summary>
/// <remarks>
/// <para>The file is opened on the first call, created with its folder if missing and appended to if present, so use a
/// fresh path per episode. The raw server JSON is not recorded.</para>
/// <para>Thread-safe, lines are written whole in completion order; replay is exact for sequential calls (an episode).</para>
/// </remarks>
public sealed class RecordingChatClient : DelegatingChatClient
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _file;
    private int _count;

    /// <param name="innerClient">The client whose calls are recorded.</param>
    /// <param name="path">The JSONL file.</param>
    public RecordingChatClient(IChatClient innerClient, string path)
        : base(innerClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The recording's full path.</summary>
    public string Path { get; }

    /// <summary>Calls recorded so far by this client.</summary>
    public int Count => Volatile.Read(ref _count);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var request = RecordedRequest.From(history, options);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(history, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelServerException ex)
        {
            await AppendAsync(request, null, RecordedError.From(ex)).ConfigureAwait(false);
            throw;
        }

        await AppendAsync(request, RecordedResponse.From(response), null).ConfigureAwait(false);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        WholeResponseStream.StreamAsync(this, messages, options, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <remarks>Not cancellable: an answer the caller got must be in the recording, or a replay would diverge.</remarks>
    private async Task AppendAsync(RecordedRequest request, RecordedResponse? response, RecordedError? error)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_file is null)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: true);
            }

            var call = new RecordedCall { Index = _count, Request = request, Response = response, Error = error };
            var line = JsonSerializer.SerializeToUtf8Bytes(call, LlmJsonContext.Default.RecordedCall);
            var buffer = new byte[line.Length + 1];
            line.CopyTo(buffer, 0);
            buffer[^1] = (byte)'\n';
            await _file.WriteAsync(buffer, CancellationToken.None).ConfigureAwait(false);
            await _file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            Volatile.Write(ref _count, _count + 1);
        }
        finally
        {
            _gate.Release();
        }
    }
}
