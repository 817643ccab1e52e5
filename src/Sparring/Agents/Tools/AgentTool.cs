using System.Text.Json;

namespace Sparring.Agents.Tools;

/// <summary>
/// A tool the model can call, natively (JSON arguments against <see cref="ParametersSchema"/>) or as a text
/// action (<c>&lt;tool: NAME&gt;</c> body <c>&lt;/tool&gt;</c>, parsed by <see cref="ParseText"/>).
/// </summary>
/// <remarks>
/// Template method: <see cref="InvokeAsync"/> times the call, turns bad arguments and failures into error
/// results, and caps the output; subclasses implement <see cref="InvokeCoreAsync"/>. Nothing a model sends
/// makes it throw, except cancellation.
/// </remarks>
public abstract class AgentTool
{
    public abstract string Name { get; }

    /// <summary>What the tool does, for the model.</summary>
    public abstract string Description { get; }

    /// <summary>JSON schema (an object schema) of the arguments for native tool calls.</summary>
    public abstract JsonElement ParametersSchema { get; }

    /// <summary>How to call the tool as a text action, shown in the system prompt.</summary>
    public abstract string TextUsage { get; }

    /// <summary>Arguments from a text action's body. Default: the body is a JSON object.</summary>
    /// <exception cref="ToolArgumentException">The body does not fit the tool's text form.</exception>
    public virtual ToolArguments ParseText(string body) => ToolArguments.ParseJson(body);

    public async Task<ToolResult> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        var started = context.Time.GetTimestamp();
        ToolResult result;
        try
        {
            result = await InvokeCoreAsync(arguments, context, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolArgumentException ex)
        {
            result = ToolResult.Error($"{Name}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception && !cancellationToken.IsCancellationRequested)
        {
            result = ToolResult.Error($"{Name}: {ex.Message}");
        }

        return result with
        {
            Output = Cap(result.Output, context.Options.OutputLimitChars),
            DurationMs = Math.Round(context.Time.GetElapsedTime(started).TotalMilliseconds, 1),
        };
    }

    protected abstract Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken);

    /// <summary>Keeps the head and tail of a long observation with a marker saying how much was dropped.</summary>
    public static string Cap(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= limit)
        {
            return text;
        }

        var half = limit / 2;
        var dropped = text.Length - (2 * half);
        return string.Concat(text.AsSpan(0, half), $"\n[… {dropped} characters truncated …]\n", text.AsSpan(text.Length - half));
    }
}
