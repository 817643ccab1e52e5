using Microsoft.AspNetCore.Http;

namespace Sparring.TestUtilities;

/// <summary>Cuts the connection without sending a status line.</summary>
internal sealed record ScriptedModelDisconnect : ScriptedReply
{
    internal override Task WriteAsync(HttpContext context, ScriptedModelRequest request, CancellationToken cancellationToken)
    {
        context.Abort();
        return Task.CompletedTask;
    }
}
