using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using Sparring.Llm.Internal;

namespace Sparring.Llm;

/// <summary>
/// Retries transient model failures (<see cref="ModelServerException.IsTransient"/>: 429, 5xx, timeouts, cut
/// connections, malformed answers) up to <see cref="ModelClientOptions.MaxRetries"/> times, with exponential backoff
/// and jitter from <see cref="ModelClientOptions.InitialBackoff"/>, capped by <see cref="ModelClientOptions.MaxBackoff"/>.
/// A server's <c>Retry-After</c> replaces the backoff (also capped). Built on a Polly v8 pipeline whose delays run on
/// the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>On success the response's <see cref="ModelTurn.Attempts"/> counts every HTTP request made; on failure the
/// last error is rethrown with <see cref="ModelServerException.Attempts"/> set and the attempt count in the message.</para>
/// <para>Thread-safe. Streaming calls go through <see cref="GetResponseAsync"/> and are yielded whole.</para>
/// </remarks>
public sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly Random _random;
    private readonly Lock _randomGate = new();

    /// <param name="innerClient">The client whose calls are retried.</param>
    /// <param name="options">Retry count and backoff; validated here.</param>
    /// <param name="time">Runs the backoff delays.</param>
    /// <param name="random">Jitter source. Jitter only spreads load and never changes a result, so by default each client gets its own unseeded generator.</param>
    public RetryingChatClient(IChatClient innerClient, ModelClientOptions options, TimeProvider? time = null, Random? random = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MaxRetries = options.MaxRetries;
        _random = random ?? new Random();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System };
        if (options.MaxRetries > 0)
        {
            // Polly accepts delays up to a day; longer settings mean "a day" in practice.
            var day = TimeSpan.FromDays(1);
            var cap = options.MaxBackoff < day ? options.MaxBackoff : day;
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ModelServerException>(ex => ex.IsTransient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff < cap ? options.InitialBackoff : cap,
                MaxDelay = cap,
                Randomizer = NextDouble,
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ModelServerException { RetryAfter: { } after } ? (TimeSpan?)(after < cap ? after : cap) : null),
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Retries after the first attempt (0 turns retrying off).</summary>
    public int MaxRetries { get; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var attempts = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    Interlocked.Increment(ref attempts);
                    return await base.GetResponseAsync(history, options, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            if (response.GetModelTurn() is { } turn)
            {
                // The inner turn counts its own requests (1 for the plain client); add the failed attempts before it.
                response.WithModelTurn(turn with { Attempts = turn.Attempts + attempts - 1 });
            }

            return response;
        }
        catch (ModelServerException ex) when (attempts > 1)
        {
            throw new ModelServerException(ex.Kind, $"{ex.Message} (gave up after {attempts} attempts)", ex.StatusCode, ex.ResponseBody, ex)
            {
                RetryAfter = ex.RetryAfter,
                Attempts = ex.Attempts + attempts - 1,
            };
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        WholeResponseStream.StreamAsync(this, messages, options, cancellationToken);

    private double NextDouble()
    {
        lock (_randomGate)
        {
            return _random.NextDouble();
        }
    }
}
