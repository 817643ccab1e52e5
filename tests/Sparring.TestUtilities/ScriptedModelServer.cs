using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sparring.TestUtilities;

/// <summary>
/// A real OpenAI-compatible HTTP server on loopback (Kestrel, a free port) that answers
/// <c>POST /v1/chat/completions</c> with scripted replies, in order, and <c>GET /v1/models</c> with its one model.
/// The only model double in the project.
/// </summary>
/// <remarks>
/// A request for another model gets vLLM's 404 without consuming a reply; a request when no reply is left gets a
/// 500 "scripted server: no reply left", so a test that under-scripts fails clearly. Thread-safe.
/// </remarks>
public sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Queue<ScriptedReply> _replies = new();
    private readonly Queue<Queue<ScriptedReply>> _conversations = new();
    private readonly Dictionary<int, Queue<ScriptedReply>> _conversationBySequence = [];
    private readonly List<JsonDocument> _requests = [];
    private int _served;

    private ScriptedModelServer(WebApplication app, string model)
    {
        _app = app;
        Model = model;
        Endpoint = null!;
    }

    /// <summary>The API base, <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri Endpoint { get; private set; }

    /// <summary>The one model name served.</summary>
    public string Model { get; }

    /// <summary>Request bodies of <c>/chat/completions</c>, in arrival order (a snapshot).</summary>
    public IReadOnlyList<JsonDocument> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>
    /// Whether <see cref="Requests"/> keeps each request body (the default). A benchmark of the client's memory turns
    /// it off, as the kept bodies would grow the process with every call.
    /// </summary>
    public bool KeepRequests { get; set; } = true;

    /// <summary>Replies not yet served (the plain queue and every conversation's).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _replies.Count + _conversations.Sum(c => c.Count) + _conversationBySequence.Values.Distinct().Sum(c => c.Count);
            }
        }
    }

    public static async Task<ScriptedModelServer> StartAsync(string model = "scripted-model", CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedModelServer(app, model);
        app.MapGet("/v1/models", server.ListModelsAsync);
        app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Endpoint = new Uri(new Uri(address), "/v1");
        return server;
    }

    /// <summary>Adds replies to the end of the script.</summary>
    public void Enqueue(params ScriptedReply[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        lock (_gate)
        {
            foreach (var reply in replies)
            {
                _replies.Enqueue(reply);
            }
        }
    }

    /// <summary>
    /// Adds one whole episode's replies, for episodes that run concurrently: a request with no assistant message yet
    /// takes the next conversation, and a request whose last assistant message carries a tool call this server issued
    /// gets the next reply of that call's conversation. So replies cannot cross between concurrent episodes (native
    /// tool calls only: text actions carry no id to route by). Requests that match no conversation use the plain queue.
    /// </summary>
    public void EnqueueConversation(params ScriptedReply[] turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        lock (_gate)
        {
            _conversations.Enqueue(new Queue<ScriptedReply>(turns));
        }
    }

    /// <summary>The conversation a request continues or starts, or null. Call under the lock.</summary>
    private Queue<ScriptedReply>? ConversationOf(ScriptedModelRequest request)
    {
        foreach (var id in request.LastAssistantToolCallIds())
        {
            var parts = id.Split('_');
            if (parts.Length == 3 && parts[0] == "call" && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var sequence)
                && _conversationBySequence.TryGetValue(sequence, out var conversation))
            {
                return conversation;
            }
        }

        return request.StartsConversation && _conversations.TryDequeue(out var fresh) ? fresh : null;
    }

    public async ValueTask DisposeAsync()
    {
        // A reply still waiting out its delay must not hold the test up: after a second, connections are aborted.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(grace.Token);
        await _app.DisposeAsync();
    }

    private Task ListModelsAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(
            new ScriptedModelList("list", [new ScriptedModelCard(Model, "model", 1_700_000_000, "sparring")]),
            ScriptedModelJsonContext.Default.ScriptedModelList,
            cancellationToken: context.RequestAborted);

    private async Task CompleteAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            await ScriptedModelError.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid JSON body: " + ex.Message, cancellationToken);
            return;
        }

        ScriptedReply? reply;
        int sequence;
        lock (_gate)
        {
            if (KeepRequests)
            {
                _requests.Add(body);
            }
            var model = body.RootElement.TryGetProperty("model", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (model != Model)
            {
                reply = null;
                sequence = -1;
            }
            else if (ConversationOf(new ScriptedModelRequest(body, -1, Model)) is { } conversation)
            {
                reply = conversation.TryDequeue(out var next) ? next : null;
                sequence = _served++;
                _conversationBySequence[sequence] = conversation;
            }
            else
            {
                reply = _replies.TryDequeue(out var next) ? next : null;
                sequence = _served++;
            }
        }

        if (sequence < 0)
        {
            var requested = body.RootElement.TryGetProperty("model", out var m) ? m.ToString() : "";
            await ScriptedModelError.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"The model `{requested}` does not exist.", cancellationToken);
            return;
        }

        if (reply is null)
        {
            await ScriptedModelError.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "scripted server: no reply left", cancellationToken);
            return;
        }

        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, cancellationToken);
            }

            await reply.WriteAsync(context, new ScriptedModelRequest(body, sequence, Model), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client gave up (its timeout); nothing to answer.
        }
    }
}
