namespace Sparring.Agents.Tools;

/// <summary>A tool call whose arguments are missing or malformed; <see cref="AgentTool.InvokeAsync"/> turns it into an error result.</summary>
public sealed class ToolArgumentException : Exception
{
    public ToolArgumentException()
    {
    }

    public ToolArgumentException(string message)
        : base(message)
    {
    }

    public ToolArgumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
