using System.Globalization;
using System.Text;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>viewer</c> (SWE-agent's ACI): a window of <see cref="ToolOptions.WindowLines"/> lines over one open file,
/// moved with <c>goto</c>, <c>scroll_up</c> and <c>scroll_down</c>. The position lives in <see cref="ToolContext.Viewer"/>.
/// </summary>
internal sealed class WindowedViewerTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "command": { "type": "string", "enum": ["open", "goto", "scroll_up", "scroll_down"], "description": "open a file, goto a line of the open file, or scroll by one window." },
            "path": { "type": "string", "description": "open: the file, absolute (/repo/...) or relative to /repo." },
            "line": { "type": "integer", "description": "open (optional) / goto: the line to show in the middle of the window." }
          },
          "required": ["command"]
        }
        """);

    private readonly ToolOptions _options;

    public WindowedViewerTool(ToolOptions? options = null) => _options = (options ?? new ToolOptions()).Validate();

    public override string Name => "viewer";

    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"Read a file through a window of {_options.WindowLines} numbered lines. `open` a file (optionally centred on `line`), " +
        $"then `goto` a line of it, `scroll_down` or `scroll_up` by one window. The header gives the file's length; " +
        $"the footer says how many lines lie above and below the window.");

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        viewer: the body is one command line: `open PATH [LINE]`, `goto LINE`, `scroll_down` or `scroll_up`.
        <tool: viewer>
        open src/app.py 120
        </tool>
        """;

    public override ToolArguments ParseText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.TrimStart().StartsWith('{'))
        {
            return ToolArguments.ParseJson(body);
        }

        var words = body.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw new ToolArgumentException("the body must be a command: open PATH [LINE], goto LINE, scroll_down or scroll_up");
        }

        var values = new List<KeyValuePair<string, string>> { new("command", words[0]) };
        switch (words[0])
        {
            case "open" when words.Length >= 2:
                var hasLine = words.Length > 2 && int.TryParse(words[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
                values.Add(new("path", string.Join(' ', words[1..(hasLine ? ^1 : ^0)])));
                if (hasLine)
                {
                    values.Add(new("line", words[^1]));
                }

                break;
            case "open":
                throw new ToolArgumentException("open needs a path: open PATH [LINE]");
            case "goto" when words.Length == 2:
                values.Add(new("line", words[1]));
                break;
            case "goto":
                throw new ToolArgumentException("goto needs one line number: goto LINE");
            case "scroll_up" or "scroll_down" when words.Length == 1:
                break;
            default:
                throw new ToolArgumentException($"unknown viewer command '{body.Trim()}': use open PATH [LINE], goto LINE, scroll_down or scroll_up");
        }

        return ToolArguments.FromStrings(values);
    }

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var command = arguments.GetString("command");
        var window = context.Options.WindowLines;
        string path;
        int? center = null;
        int? first = null;
        switch (command)
        {
            case "open":
                path = context.Relative(arguments.GetString("path"));
                center = arguments.GetOptionalInt("line");
                first = center is null ? 1 : null;
                break;
            case "goto" or "scroll_up" or "scroll_down" when context.Viewer is null:
                return ToolResult.Error($"viewer: no file is open; use `open PATH` first");
            case "goto":
                path = context.Viewer!.Value.Path;
                center = arguments.GetOptionalInt("line") ?? throw new ToolArgumentException("goto needs a line number");
                break;
            case "scroll_up":
                path = context.Viewer!.Value.Path;
                first = context.Viewer.Value.FirstLine - window;
                break;
            case "scroll_down":
                path = context.Viewer!.Value.Path;
                first = context.Viewer.Value.FirstLine + window;
                break;
            default:
                return ToolResult.Error($"viewer: unknown command '{command}'; use open, goto, scroll_up or scroll_down");
        }

        var display = context.Display(path);
        var bytes = await WorkspaceText.ReadBytesAsync(context, path, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return ToolResult.Error($"viewer: {display} does not exist");
        }

        var lines = TextLines.Split(WorkspaceText.Decode(bytes, display, forEdit: false));
        if (center is { } line && (line < 1 || line > Math.Max(1, lines.Length)))
        {
            return ToolResult.Error(string.Create(CultureInfo.InvariantCulture, $"viewer: line {line} is outside {display}, which has {lines.Length} lines"));
        }

        // The window never starts past the point where it would show fewer lines than it can.
        var start = first ?? (center!.Value - (window / 2));
        start = Math.Clamp(start, 1, Math.Max(1, lines.Length - window + 1));
        context.Viewer = (path, start);
        return ToolResult.Ok(Render(display, lines, start, window));
    }

    private static string Render(string display, string[] lines, int start, int window)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"[File: {display} ({lines.Length} lines total)]\n");
        if (lines.Length == 0)
        {
            return builder.Append("(the file is empty)\n").ToString();
        }

        var end = Math.Min(lines.Length, start + window - 1);
        builder.Append(CultureInfo.InvariantCulture, $"({start - 1} more lines above)\n");
        for (var number = start; number <= end; number++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{number}:{lines[number - 1]}\n");
        }

        builder.Append(CultureInfo.InvariantCulture, $"({lines.Length - end} more lines below)\n");
        return builder.ToString();
    }
}
