using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Sparring.TestUtilities;

/// <summary>An error status with the body vLLM and OpenAI send: <c>{"error":{"message","type","code"}}</c>.</summary>
internal sealed record ScriptedModelError(int Status, string Message, TimeSpan? RetryAfter) : ScriptedReply
{
    internal override Task WriteAsync(HttpContext context, ScriptedModelRequest request, CancellationToken cancellationToken)
    {
        if (RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return WriteErrorAsync(context, Status, Message, cancellationToken);
    }

    internal static Task WriteErrorAsync(HttpContext context, int status, string message, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ScriptedModelErrorBody(new ScriptedModelErrorDetail(message, TypeOf(status), status)),
            ScriptedModelJsonContext.Default.ScriptedModelErrorBody,
            cancellationToken: cancellationToken);
    }

    private static string TypeOf(int status) => status switch
    {
        400 => "BadRequestError",
        401 => "AuthenticationError",
        403 => "PermissionDeniedError",
        404 => "NotFoundError",
        429 => "RateLimitError",
        >= 500 => "InternalServerError",
        _ => "APIError",
    };
}
