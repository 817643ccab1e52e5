namespace Sparring.Llm;

/// <summary>A model call that failed for good; the message says what to do about it.</summary>
public sealed class ModelServerException : Exception
{
    public ModelServerException(ModelErrorKind kind, string message, int? statusCode = null, string? responseBody = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    public ModelServerException()
        : this(ModelErrorKind.MalformedResponse, "The model call failed.")
    {
    }

    public ModelServerException(string message)
        : this(ModelErrorKind.MalformedResponse, message)
    {
    }

    public ModelServerException(string message, Exception innerException)
        : this(ModelErrorKind.MalformedResponse, message, innerException: innerException)
    {
    }

    public ModelErrorKind Kind { get; }

    /// <summary>The last HTTP status, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>The start of the last response body, for the error report.</summary>
    public string? ResponseBody { get; }

    /// <summary>The server's <c>Retry-After</c>, when it sent one (a 429 or 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>HTTP requests made before giving up: 1 plus the retries.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>
    /// Whether another attempt may succeed: rate limits, server errors, timeouts and malformed answers or cut
    /// connections. An unreachable server, an unknown model or a refused request fail at once.
    /// </summary>
    public bool IsTransient => Kind is ModelErrorKind.RateLimited or ModelErrorKind.ServerError or ModelErrorKind.Timeout or ModelErrorKind.MalformedResponse;
}
