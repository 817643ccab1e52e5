using Microsoft.Extensions.AI;

namespace Sparring.Agents;

/// <summary>
/// SWE-agent's context management: the last <c>K</c> observations go to the model in full, older ones as one
/// line. Only the request changes; the trajectory keeps every observation whole.
/// </summary>
public static class ContextFolder
{
    /// <summary>The messages to send: <paramref name="history"/> with observations older than the last <paramref name="keep"/> folded.</summary>
    public static IReadOnlyList<ChatMessage> Fold(IReadOnlyList<ChatMessage> history, IReadOnlySet<int> observations, int keep)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(observations);
        var recent = observations.Order().TakeLast(keep).ToHashSet();
        var folded = new List<ChatMessage>(history.Count);
        for (var i = 0; i < history.Count; i++)
        {
            var message = history[i];
            folded.Add(observations.Contains(i) && !recent.Contains(i) ? Folded(message) : message);
        }

        return folded;
    }

    private static ChatMessage Folded(ChatMessage message)
    {
        if (message.Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            return new ChatMessage(message.Role, [new FunctionResultContent(result.CallId, Summary(result.Result?.ToString() ?? ""))]);
        }

        return new ChatMessage(message.Role, Summary(message.Text));
    }

    /// <summary>The one line an old observation becomes.</summary>
    public static string Summary(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Length == 0 ? 0 : output.Count(c => c == '\n') + 1;
        return $"[Old output folded ({lines} lines); run the command again to see it.]";
    }
}
