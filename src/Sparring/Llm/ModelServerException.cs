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
}
