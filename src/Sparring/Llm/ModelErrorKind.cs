namespace Sparring.Llm;

/// <summary>Why a model call failed for good (after retries). Written into trajectories as the string value.</summary>
public enum ModelErrorKind
{
    /// <summary>Connection refused, DNS failure, TLS failure: no server at the URL.</summary>
    Unreachable,

    /// <summary>The server does not serve the requested model name (404, or a 400 naming the model).</summary>
    ModelNotFound,

    /// <summary>429 after every retry.</summary>
    RateLimited,

    /// <summary>5xx after every retry.</summary>
    ServerError,

    /// <summary>No answer within the request timeout, after every retry.</summary>
    Timeout,

    /// <summary>The request was refused (4xx other than 404/429), e.g. the prompt exceeds the context length.</summary>
    BadRequest,

    /// <summary>The answer was not a chat completion (malformed JSON, no choices, a cut connection).</summary>
    MalformedResponse,

    /// <summary>Authentication failed (401/403).</summary>
    Unauthorized,

    /// <summary>A <see cref="ReplayChatClient"/> got a request that differs from the recorded one, or ran out of recorded calls.</summary>
    ReplayMismatch,
}
