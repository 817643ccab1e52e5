using Sparring.Agents.Tools;

namespace Sparring.Agents.Internal;

/// <summary>One action of a turn: the tool and its arguments, or the problem that stops it from running (told to the model).</summary>
internal sealed record PlannedAction(string Name, AgentTool? Tool, ToolArguments? Arguments, string? Problem, string? CallId);
