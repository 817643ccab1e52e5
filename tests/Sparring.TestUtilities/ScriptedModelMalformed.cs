using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sparring.TestUtilities;

/// <summary>Status 200 with a body that is not a chat completion.</summary>
internal sealed record ScriptedModelMalformed(string Body) : ScriptedReply
{
    internal override async Task WriteAsync(HttpContext context, ScriptedModelRequest request, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body), cancellationToken);
    }
}
