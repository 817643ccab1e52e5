namespace Sparring.Agents;

/// <summary>How the model calls tools.</summary>
public enum ActionFormat
{
    /// <summary>The server's native tool calls (<c>tools</c> in the request, <c>tool_calls</c> in the answer).</summary>
    Native,

    /// <summary>CWM's text actions: one <c>&lt;tool: NAME&gt;</c> … <c>&lt;/tool&gt;</c> block per turn in the message text.</summary>
    Text,
}
