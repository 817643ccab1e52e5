using Microsoft.AspNetCore.Http;

namespace Sparring.TestUtilities;

/// <summary>A reply decided when its request arrives.</summary>
internal sealed record ScriptedLazyReply(Func<ScriptedReply> Make) : ScriptedReply
{
    internal override Task WriteAsync(HttpContext context, ScriptedModelRequest request, CancellationToken cancellationToken) =>
        Make().WriteAsync(context, request, cancellationToken);
}
