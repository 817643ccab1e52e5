using Microsoft.Extensions.AI;
using Sparring.Llm;

namespace Sparring.Agents;

/// <summary>
/// What the model is sent, made from the trajectory (the one history of an episode) with SWE-agent's context
/// management: the last <c>K</c> observations go in full, older ones as one line. Only the request changes; the
/// trajectory keeps every observation whole.
/// </summary>
public static class ContextFolder
{
    /// <summary>The messages to send for <paramref name="messages"/>, observations older than the last <paramref name="keep"/> folded.</summary>
    public static IReadOnlyList<ChatMessage> Fold(IReadOnlyList<TrajectoryMessage> messages, int keep)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var observations = Enumerable.Range(0, messages.Count).Where(i => IsObservation(messages[i])).ToList();
        var folded = observations.SkipLast(keep).ToHashSet();
        return [.. messages.Select((m, i) => ToChat(folded.Contains(i) ? m with { Content = Summary(m.Content) } : m))];
    }

    /// <summary>A tool's output or the feedback on a format error: what folding may shorten (never the task or the model's own words).</summary>
    public static bool IsObservation(TrajectoryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Role != "assistant" && (message.ToolName is not null || message.IsError == true);
    }

    /// <summary>The one line an old observation becomes.</summary>
    public static string Summary(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Length == 0 ? 0 : output.Count(c => c == '\n') + 1;
        return $"[Old output folded ({lines} lines); run the command again to see it.]";
    }

    private static ChatMessage ToChat(TrajectoryMessage message) => message.Role switch
    {
        "tool" => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.ToolCallId ?? "", message.Content)]),
        "assistant" when message.ToolCalls is { Count: > 0 } calls => new ChatMessage(
            ChatRole.Assistant,
            [.. message.Content.Length > 0 ? [new TextContent(message.Content)] : Array.Empty<AIContent>(), .. calls.Select(c => OpenAiCompatibleChatClient.ToolCall(c.Id, c.Name, c.Arguments))]),
        _ => new ChatMessage(new ChatRole(message.Role), message.Content),
    };
}
