using Microsoft.AspNetCore.Http;

namespace Sparring.TestUtilities;

/// <summary>
/// One scripted answer of <see cref="ScriptedModelServer"/>: a completion (tool calls or text), an error status,
/// a broken body or a cut connection, optionally delayed with <see cref="After"/>.
/// </summary>
public abstract record ScriptedReply
{
    /// <summary>How long the server waits before answering (or before cutting the connection).</summary>
    internal TimeSpan Delay { get; init; }

    /// <summary>
    /// One tool call (finish reason <c>tool_calls</c>), with optional assistant text next to it. The arguments are
    /// sent verbatim as the <c>arguments</c> string, so invalid JSON can be scripted.
    /// </summary>
    public static ScriptedReply ToolCall(string name, string argumentsJson, string? content = null) =>
        new ScriptedModelCompletion { Content = content, Calls = [new ScriptedModelToolCall(name, argumentsJson)], FinishReason = "tool_calls" };

    /// <summary>Several tool calls in one turn (finish reason <c>tool_calls</c>).</summary>
    public static ScriptedReply ToolCalls(params (string Name, string ArgumentsJson)[] calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        return new ScriptedModelCompletion { Calls = calls.Select(c => new ScriptedModelToolCall(c.Name, c.ArgumentsJson)).ToList(), FinishReason = "tool_calls" };
    }

    /// <summary>Plain assistant text (text actions).</summary>
    public static ScriptedReply Text(string content, string finishReason = "stop") =>
        new ScriptedModelCompletion { Content = content, Calls = [], FinishReason = finishReason };

    /// <summary>
    /// A one-token verdict, as a verifier gives it: <paramref name="answer"/> as the text, and, when the request asks for
    /// <c>top_logprobs</c>, <paramref name="alternatives"/> (token, probability) as its first token's alternatives, most
    /// likely first, with the answer's logprob its own entry's.
    /// </summary>
    public static ScriptedReply Verdict(string answer, params (string Token, double Probability)[] alternatives) =>
        new ScriptedModelCompletion { Content = answer, Calls = [], FinishReason = "length", FirstTokenAlternatives = [.. alternatives.Select(a => (a.Token, Math.Log(a.Probability)))] };

    /// <summary>
    /// An error status with an OpenAI/vLLM error body <c>{"error":{"message","type","code"}}</c>; a
    /// <c>retryAfter</c> is sent as a <c>Retry-After</c> header in whole seconds (rounded up).
    /// </summary>
    public static ScriptedReply Error(int status, string message, TimeSpan? retryAfter = null) =>
        new ScriptedModelError(status, message, retryAfter);

    /// <summary>Status 200 with a body that is not a chat completion.</summary>
    public static ScriptedReply Malformed(string body = "{\"choices\": [") => new ScriptedModelMalformed(body);

    /// <summary>Aborts the connection without any response.</summary>
    public static ScriptedReply Disconnect() => new ScriptedModelDisconnect();

    /// <summary>A reply made when its request arrives (a test can script a turn from state that exists only by then).</summary>
    public static ScriptedReply Lazy(Func<ScriptedReply> make) => new ScriptedLazyReply(make);

    /// <summary>The same reply, answered after <paramref name="delay"/>.</summary>
    public ScriptedReply After(TimeSpan delay) => this with { Delay = delay };

    /// <summary>Writes the reply; <paramref name="request"/> is the parsed request body.</summary>
    internal abstract Task WriteAsync(HttpContext context, ScriptedModelRequest request, CancellationToken cancellationToken);
}
