using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Agents.Tools;
using Sparring.Llm;

namespace Sparring.Agents.Internal;

/// <summary>
/// Reads a model turn in either action format into the assistant message to record and the actions to run, and
/// writes each observation back in the format's own shape (a <c>tool</c> message natively, an <c>&lt;output&gt;</c>
/// user message in the text format).
/// </summary>
internal sealed class TurnReader(ActionFormat format, IReadOnlyList<AgentTool> tools)
{
    public ParsedTurn Read(ChatResponse response, ModelTurn? turn, double atMs) =>
        format == ActionFormat.Text ? ReadText(response.Text, turn, atMs) : ReadToolCalls(response, turn, atMs);

    /// <summary>What the model reads after an action ran.</summary>
    public TrajectoryMessage Observation(PlannedAction action, ToolResult result, int ignoredActions, double atMs)
    {
        if (format == ActionFormat.Native)
        {
            return new TrajectoryMessage { Role = "tool", Content = result.Output, ToolName = action.Name, ToolCallId = action.CallId, IsError = result.IsError, DurationMs = result.DurationMs, AtMs = atMs };
        }

        var output = result.Output + (ignoredActions > 0 ? $"\n(Only the first action of a message runs: {ignoredActions} more ignored.)" : "");
        var content = $"<output tool=\"{action.Name}\"{(result.IsError ? " error=\"true\"" : "")}>\n{output}\n</output>";
        return new TrajectoryMessage { Role = "user", Content = content, ToolName = action.Name, IsError = result.IsError, DurationMs = result.DurationMs, AtMs = atMs };
    }

    /// <summary>What the model reads after a turn with no action that could run.</summary>
    public static TrajectoryMessage FormatFeedback(string error, double atMs) =>
        new() { Role = "user", Content = "Format error: " + error, IsError = true, AtMs = atMs };

    private ParsedTurn ReadText(string text, ModelTurn? turn, double atMs)
    {
        var (name, body, error, extra) = TextActions.Parse(text);
        var tool = name is null ? null : tools.FirstOrDefault(t => t.Name == name);
        ToolArguments? arguments = null;
        if (error is null && tool is null)
        {
            error = UnknownTool(name!);
        }

        try
        {
            arguments = error is null ? tool!.ParseText(body!) : null;
        }
        catch (ToolArgumentException ex)
        {
            error = $"{name}: {ex.Message}\n{tool!.TextUsage}";
        }

        var message = new TrajectoryMessage { Role = "assistant", Content = text, Turn = turn, FormatError = error, AtMs = atMs };
        return new ParsedTurn(message, error is null ? [new PlannedAction(name!, tool, arguments, null, null)] : [], error, extra);
    }

    private ParsedTurn ReadToolCalls(ChatResponse response, ModelTurn? turn, double atMs)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        var actions = calls.Select(c => Problem(c) is { } problem
            ? new PlannedAction(c.Name, null, null, problem, c.CallId)
            : new PlannedAction(c.Name, tools.First(t => t.Name == c.Name), Arguments(c), null, c.CallId)).ToList();
        var error = calls.Count == 0
            ? "no tool call: every turn must call one of the tools (" + string.Join(", ", tools.Select(t => t.Name)) + ")"
            : actions.All(a => a.Problem is not null) ? string.Join("; ", actions.Select(a => a.Problem)) : null;
        var message = new TrajectoryMessage
        {
            Role = "assistant",
            Content = response.Text,
            ToolCalls = calls.Count == 0 ? null : calls.Select(c => new TrajectoryToolCall(c.CallId, c.Name, RawArguments(c))).ToList(),
            Turn = turn,
            FormatError = error,
            AtMs = atMs,
        };
        return new ParsedTurn(message, actions, error, 0);
    }

    private string? Problem(FunctionCallContent call)
    {
        if (!tools.Any(t => t.Name == call.Name))
        {
            return UnknownTool(call.Name);
        }

        return call.Exception is not null || call.Arguments?.ContainsKey(OpenAiCompatibleChatClient.RawArgumentsKey) == true
            ? $"{call.Name}: the arguments are not a valid JSON object: {call.Exception?.Message ?? RawArguments(call)}"
            : null;
    }

    private string UnknownTool(string name) => $"unknown tool '{name}'; the tools are: {string.Join(", ", tools.Select(t => t.Name))}";

    private static ToolArguments Arguments(FunctionCallContent call)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
        {
            values[key] = value switch
            {
                JsonElement element => element,
                null => JsonSerializer.SerializeToElement<object?>(null, AIJsonUtilities.DefaultOptions),
                _ => JsonSerializer.SerializeToElement(value, value.GetType(), AIJsonUtilities.DefaultOptions),
            };
        }

        return new ToolArguments(values);
    }

    private static string RawArguments(FunctionCallContent call)
    {
        if (call.Arguments?.TryGetValue(OpenAiCompatibleChatClient.RawArgumentsKey, out var raw) == true && raw is not null)
        {
            return raw is JsonElement { ValueKind: JsonValueKind.String } element ? element.GetString()! : raw.ToString()!;
        }

        return Arguments(call).ToJson();
    }
}
