using System.Text.Json.Serialization;

namespace Sparring.Llm;

/// <summary>A recorded failure; replay rethrows it as a <see cref="ModelServerException"/>.</summary>
public sealed record RecordedError
{
    [JsonPropertyName("kind")]
    public required ModelErrorKind Kind { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("statusCode")]
    public int? StatusCode { get; init; }

    [JsonPropertyName("attempts")]
    public int Attempts { get; init; } = 1;

    public static RecordedError From(ModelServerException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new RecordedError { Kind = exception.Kind, Message = exception.Message, StatusCode = exception.StatusCode, Attempts = exception.Attempts };
    }

    public ModelServerException ToException() => new(Kind, Message, StatusCode) { Attempts = Attempts };
}
