using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Sparring.Llm.Internal;

/// <summary>Turns an HTTP failure into a <see cref="ModelServerException"/> whose message says what to do.</summary>
internal static class ModelErrors
{
    /// <summary>How much of a body an exception keeps.</summary>
    private const int BodyLimit = 2000;

    public static ModelServerException Unreachable(Uri endpoint, Exception ex) => new(
        ModelErrorKind.Unreachable,
        $"no model server at {endpoint}: {ex.Message}; is vLLM running? check --model-url",
        innerException: ex);

    public static ModelServerException Cut(Uri endpoint, Exception ex) => new(
        ModelErrorKind.MalformedResponse,
        $"the connection to the model server at {endpoint} was cut before a complete answer: {ex.Message}",
        innerException: ex);

    public static ModelServerException Timeout(Uri endpoint, TimeSpan timeout, Exception? ex = null) => new(
        ModelErrorKind.Timeout,
        string.Create(CultureInfo.InvariantCulture, $"the model server at {endpoint} did not answer within {timeout.TotalSeconds:0.###} s (the request timeout)"),
        innerException: ex);

    public static ModelServerException Malformed(Uri endpoint, int status, string body, Exception ex) => new(
        ModelErrorKind.MalformedResponse,
        $"the model server at {endpoint} answered with something that is not a chat completion ({ex.Message}); the body starts: {Start(body, 200)}",
        status,
        Start(body, BodyLimit),
        ex);

    /// <summary>The exception for a non-success status; <paramref name="servedModels"/> lists the models (null when unknown).</summary>
    public static ModelServerException ForStatus(Uri endpoint, string model, HttpStatusCode status, string body, TimeSpan? retryAfter, IReadOnlyList<string>? servedModels)
    {
        var code = (int)status;
        var message = ServerMessage(body);
        var (kind, text) = code switch
        {
            401 or 403 => (ModelErrorKind.Unauthorized, $"the model server at {endpoint} refused the credentials ({code}): {message}; check the API key (--api-key or OPENAI_API_KEY)"),
            404 => (ModelErrorKind.ModelNotFound, NotFound(endpoint, model, message, servedModels)),
            400 when MentionsModel(message, model) && servedModels is not null && !servedModels.Contains(model) =>
                (ModelErrorKind.ModelNotFound, NotFound(endpoint, model, message, servedModels)),
            408 => (ModelErrorKind.Timeout, $"the model server at {endpoint} timed out the request (408): {message}"),
            429 => (ModelErrorKind.RateLimited, $"the model server at {endpoint} is rate limiting (429): {message}"),
            >= 500 => (ModelErrorKind.ServerError, $"the model server at {endpoint} failed ({code}): {message}"),
            >= 400 => (ModelErrorKind.BadRequest, $"the model server at {endpoint} rejected the request ({code}): {message}"),
            _ => (ModelErrorKind.MalformedResponse, $"the model server at {endpoint} answered with status {code}: {message}"),
        };
        return new ModelServerException(kind, text, code, Start(body, BodyLimit)) { RetryAfter = retryAfter };
    }

    /// <summary>Whether the served-model list is worth fetching to explain this status.</summary>
    public static bool NeedsServedModels(HttpStatusCode status, string body, string model) =>
        status == HttpStatusCode.NotFound || (status == HttpStatusCode.BadRequest && MentionsModel(ServerMessage(body), model));

    /// <summary>The <c>id</c>s of a <c>GET /models</c> answer, or null when it is not a model list.</summary>
    public static IReadOnlyList<string>? ModelIds(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return data.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
                .OfType<string>()
                .ToList();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The server's own words: <c>error.message</c> (OpenAI, vLLM), <c>message</c> or <c>detail</c> (FastAPI), else the body's start.</summary>
    public static string ServerMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.String)
                    {
                        return nested.GetString()!;
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return error.GetString()!;
                    }
                }

                foreach (var name in (string[])["message", "detail"])
                {
                    if (root.TryGetProperty(name, out var value))
                    {
                        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return string.IsNullOrWhiteSpace(body) ? "(empty body)" : Start(body, 500);
    }

    private static string NotFound(Uri endpoint, string model, string message, IReadOnlyList<string>? served) => served switch
    {
        null => $"model '{model}' is not served at {endpoint} (404: {message}); check --model and --model-url",
        _ when served.Contains(model) => $"{endpoint} serves '{model}' but POST /chat/completions answered 404 ({message}); check --model-url (the API base, e.g. http://localhost:8000/v1)",
        [] => $"model '{model}' is not served at {endpoint}; the server lists no models",
        _ => $"model '{model}' is not served at {endpoint}; served: {string.Join(", ", served)}",
    };

    private static bool MentionsModel(string message, string model) => message.Contains(model, StringComparison.OrdinalIgnoreCase);

    private static string Start(string text, int limit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit), "…");
}
