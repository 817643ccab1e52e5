using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>
/// An <see cref="IChatClient"/> for OpenAI-compatible servers (vLLM, SGLang, llama.cpp, Ollama, OpenAI) over plain
/// HTTP: one <c>POST {Endpoint}/chat/completions</c> per call, no retries (add <see cref="RetryingChatClient"/>).
/// Every response carries a <see cref="ModelTurn"/> (token ids, logprobs, usage, latency) and the raw JSON body.
/// </summary>
/// <remarks>
/// <para>Failures throw <see cref="ModelServerException"/> with a <see cref="ModelErrorKind"/> and an actionable message;
/// <see cref="ModelServerException.IsTransient"/> tells a retry policy what is worth another attempt.</para>
/// <para>Tool-call arguments that are not a JSON object do not throw: the call carries the raw text under
/// <see cref="RawArgumentsKey"/> and the parse error in <see cref="FunctionCallContent.Exception"/>.</para>
/// <para>Streaming is not streamed: <see cref="GetStreamingResponseAsync"/> makes the same non-streaming request and
/// yields the whole response as updates, so token ids and logprobs are never lost.</para>
/// <para>Thread-safe; calls may run concurrently.</para>
/// </remarks>
public sealed class OpenAiCompatibleChatClient : IChatClient
{
    /// <summary>The argument key under which a tool call's unparseable argument text is kept verbatim.</summary>
    public const string RawArgumentsKey = "__raw";

    /// <summary>A tool call from its arguments text, read as a response's calls are read (unparseable text kept under <see cref="RawArgumentsKey"/>).</summary>
    public static FunctionCallContent ToolCall(string callId, string name, string arguments) => ChatCompletionParser.ToolCall(callId, name, arguments);

    /// <summary>Limit on the <c>GET /models</c> request made to explain a 404.</summary>
    private static readonly TimeSpan ModelListTimeout = TimeSpan.FromSeconds(10);

    private readonly ModelClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly Uri _completions;
    private readonly Uri _models;
    private readonly ChatClientMetadata _metadata;

    /// <param name="options">Validated here.</param>
    /// <param name="httpClient">Used as is and not disposed; by default the client owns one with no timeout of its own.</param>
    /// <param name="time">Measures latency and runs the request timeout.</param>
    public OpenAiCompatibleChatClient(ModelClientOptions options, HttpClient? httpClient = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _time = time ?? TimeProvider.System;
        var root = options.Endpoint.AbsoluteUri.TrimEnd('/');
        _completions = new Uri(root + "/chat/completions");
        _models = new Uri(root + "/models");
        _metadata = new ChatClientMetadata("openai-compatible", options.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _options.Model;
        var body = ChatRequestBuilder.Build(messages, options, _options).ToJsonString();
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _completions) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            Authorize(request);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var served = ModelErrors.NeedsServedModels(response.StatusCode, text, model) ? await ServedModelsAsync(cancellationToken).ConfigureAwait(false) : null;
                throw ModelErrors.ForStatus(_options.Endpoint, model, response.StatusCode, text, RetryAfter(response.Headers), served);
            }

            try
            {
                return ChatCompletionParser.Parse(text, _time.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or OverflowException)
            {
                throw ModelErrors.Malformed(_options.Endpoint, (int)response.StatusCode, text, ex);
            }
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw ModelErrors.Timeout(_options.Endpoint, _options.RequestTimeout, ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The timeout of a caller-supplied HttpClient.
            throw ModelErrors.Timeout(_options.Endpoint, _http.Timeout, ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            throw ModelErrors.Unreachable(_options.Endpoint, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw ModelErrors.Cut(_options.Endpoint, ex);
        }
    }

    /// <summary>Makes the non-streaming request and yields the whole response as updates (see remarks on the class).</summary>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        WholeResponseStream.StreamAsync(this, messages, options, cancellationToken);

    /// <summary>The model names <c>GET {Endpoint}/models</c> lists, or null when it does not answer with a list.</summary>
    public async Task<IReadOnlyList<string>?> ServedModelsAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(ModelListTimeout < _options.RequestTimeout ? ModelListTimeout : _options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _models);
            Authorize(request);
            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? ModelErrors.ModelIds(await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false)) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(ModelClientOptions) ? _options
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }
    }

    /// <summary>Retry-After as a delay (seconds, or an HTTP date relative to now).</summary>
    private TimeSpan? RetryAfter(HttpResponseHeaders headers) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
