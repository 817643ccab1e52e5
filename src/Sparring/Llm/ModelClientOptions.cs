namespace Sparring.Llm;

/// <summary>Where the policy model is served and how to call it. Validated by <see cref="Validate"/>.</summary>
public sealed record ModelClientOptions
{
    /// <summary>Base URL of the OpenAI-compatible API, e.g. <c>http://localhost:8000/v1</c>; <c>/chat/completions</c> is appended.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The served model name (vLLM's <c>--served-model-name</c>).</summary>
    public required string Model { get; init; }

    /// <summary>Sent as a bearer token when set (defaults to the <c>OPENAI_API_KEY</c> variable in the CLI).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Limit on one HTTP request; a slower answer counts as a timeout and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries after a 429, a 5xx, a timeout or a cut connection (not after other errors).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff; doubled per retry with jitter, capped by <see cref="MaxBackoff"/>. A Retry-After header wins.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts; also caps a server's Retry-After.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Ask for per-token logprobs (<c>logprobs: true</c>).</summary>
    public bool RequestLogprobs { get; init; } = true;

    /// <summary>Ask vLLM for token ids (<c>return_token_ids: true</c>); other servers ignore unknown fields.</summary>
    public bool RequestTokenIds { get; init; } = true;

    /// <summary>Alternatives per token (<c>top_logprobs</c>); 0 asks for none.</summary>
    public int TopLogprobs { get; init; }

    /// <summary>Checks the options and returns them; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public ModelClientOptions Validate()
    {
        if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"model URL must be an absolute http(s) URL, got '{Endpoint}'", nameof(Endpoint));
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("model name must not be empty", nameof(Model));
        }

        if (MaxRetries < 0 || RequestTimeout <= TimeSpan.Zero || InitialBackoff < TimeSpan.Zero || MaxBackoff < InitialBackoff || TopLogprobs is < 0 or > 20)
        {
            throw new ArgumentException("retries must be ≥ 0, the timeout positive, 0 ≤ initial backoff ≤ max backoff, top_logprobs in 0..20");
        }

        return this;
    }
}
