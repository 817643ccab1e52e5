using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Sparring.Llm.Internal;

/// <summary>
/// "Streaming" for decorators whose feature needs the whole response (retries, recording, accounting): one
/// non-streaming call, yielded as updates. Our servers are called without <c>stream</c> anyway, so nothing is lost.
/// </summary>
internal static class WholeResponseStream
{
    public static async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IChatClient client, IEnumerable<ChatMessage> messages, ChatOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }
}
