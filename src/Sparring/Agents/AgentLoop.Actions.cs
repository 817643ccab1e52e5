using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Agents.Tools;
using Sparring.Llm;

namespace Sparring.Agents;

public sealed partial class AgentLoop
{
    /// <summary>Records the model's message, runs its action(s) and appends the observations.</summary>
    /// <returns>The submission when the episode ends here; the format error when the turn had no usable action.</returns>
    private Task<(string? Submission, string? FormatError)> ActAsync(Episode episode, ChatResponse response, ModelTurn? turn, ToolContext context, CancellationToken cancellationToken) =>
        _options.ActionFormat == ActionFormat.Text
            ? ActOnTextAsync(episode, response, turn, context, cancellationToken)
            : ActOnToolCallsAsync(episode, response, turn, context, cancellationToken);

    private async Task<(string? Submission, string? FormatError)> ActOnTextAsync(Episode episode, ChatResponse response, ModelTurn? turn, ToolContext context, CancellationToken cancellationToken)
    {
        var text = response.Text;
        var (name, body, error, extra) = TextActions.Parse(text);
        var tool = name is null ? null : _tools.FirstOrDefault(t => t.Name == name);
        ToolArguments? arguments = null;
        if (error is null && tool is null)
        {
            error = $"unknown tool '{name}'; the tools are: {string.Join(", ", _tools.Select(t => t.Name))}";
        }

        if (error is null)
        {
            try
            {
                arguments = tool!.ParseText(body!);
            }
            catch (ToolArgumentException ex)
            {
                error = $"{name}: {ex.Message}\n{tool!.TextUsage}";
            }
        }

        episode.Add(new ChatMessage(ChatRole.Assistant, text), new TrajectoryMessage { Role = "assistant", Content = text, Turn = turn, FormatError = error, AtMs = AtMs(episode) }, observation: false);
        if (error is not null)
        {
            var feedback = "Format error: " + error;
            episode.Add(new ChatMessage(ChatRole.User, feedback), new TrajectoryMessage { Role = "user", Content = feedback, IsError = true, AtMs = AtMs(episode) }, observation: true);
            return (null, error);
        }

        var result = await tool!.InvokeAsync(arguments!, context, cancellationToken).ConfigureAwait(false);
        if (result.Submitted)
        {
            return (result.Submission ?? "", null);
        }

        var observation = result.Output + (extra > 0 ? $"\n(Only the first action of a message runs: {extra} more ignored.)" : "");
        var content = $"<output tool=\"{tool.Name}\"{(result.IsError ? " error=\"true\"" : "")}>\n{observation}\n</output>";
        episode.Add(
            new ChatMessage(ChatRole.User, content),
            new TrajectoryMessage { Role = "user", Content = content, ToolName = tool.Name, IsError = result.IsError, DurationMs = result.DurationMs, AtMs = AtMs(episode) },
            observation: true);
        return (null, null);
    }

    private async Task<(string? Submission, string? FormatError)> ActOnToolCallsAsync(Episode episode, ChatResponse response, ModelTurn? turn, ToolContext context, CancellationToken cancellationToken)
    {
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var calls = contents.OfType<FunctionCallContent>().ToList();
        var text = response.Text;
        var planned = calls.Select(c => (Call: c, Tool: _tools.FirstOrDefault(t => t.Name == c.Name), Problem: Problem(c))).ToList();
        var error = calls.Count == 0
            ? "no tool call: every turn must call one of the tools (" + string.Join(", ", _tools.Select(t => t.Name)) + ")"
            : planned.All(p => p.Problem is not null) ? string.Join("; ", planned.Select(p => p.Problem)) : null;
        episode.Add(
            new ChatMessage(ChatRole.Assistant, contents),
            new TrajectoryMessage
            {
                Role = "assistant",
                Content = text,
                ToolCalls = calls.Count == 0 ? null : calls.Select(c => new TrajectoryToolCall(c.CallId, c.Name, RawArguments(c))).ToList(),
                Turn = turn,
                FormatError = error,
                AtMs = AtMs(episode),
            },
            observation: false);
        if (calls.Count == 0)
        {
            var feedback = "Format error: " + error;
            episode.Add(new ChatMessage(ChatRole.User, feedback), new TrajectoryMessage { Role = "user", Content = feedback, IsError = true, AtMs = AtMs(episode) }, observation: true);
            return (null, error);
        }

        foreach (var (call, tool, problem) in planned)
        {
            var result = problem is not null
                ? ToolResult.Error(problem)
                : await tool!.InvokeAsync(Arguments(call), context, cancellationToken).ConfigureAwait(false);
            if (result.Submitted)
            {
                return (result.Submission ?? "", null);
            }

            episode.Add(
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result.Output)]),
                new TrajectoryMessage { Role = "tool", Content = result.Output, ToolName = call.Name, ToolCallId = call.CallId, IsError = result.IsError, DurationMs = result.DurationMs, AtMs = AtMs(episode) },
                observation: true);
        }

        return (null, error);

        string? Problem(FunctionCallContent call)
        {
            if (!_tools.Any(t => t.Name == call.Name))
            {
                return $"unknown tool '{call.Name}'; the tools are: {string.Join(", ", _tools.Select(t => t.Name))}";
            }

            if (call.Exception is not null || call.Arguments?.ContainsKey(RawArgumentsKey) == true)
            {
                return $"{call.Name}: the arguments are not a valid JSON object: {call.Exception?.Message ?? RawArguments(call)}";
            }

            return null;
        }
    }

    /// <summary>Where a client puts argument text it could not parse as JSON.</summary>
    private const string RawArgumentsKey = "__raw";

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
        if (call.Arguments?.TryGetValue(RawArgumentsKey, out var raw) == true && raw is not null)
        {
            return raw is JsonElement { ValueKind: JsonValueKind.String } element ? element.GetString()! : raw.ToString()!;
        }

        return Arguments(call).ToJson();
    }
}
