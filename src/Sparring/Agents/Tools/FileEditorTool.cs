using System.Globalization;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>str_replace_editor</c> (R2E-Gym / OpenHands): <c>view</c>, <c>create</c>, <c>str_replace</c>, <c>insert</c>,
/// <c>undo_edit</c> on files of the repository. Writes go through the linted-edit guard and the edit history.
/// </summary>
internal sealed partial class FileEditorTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "command": { "type": "string", "enum": ["view", "create", "str_replace", "insert", "undo_edit"], "description": "The command to run." },
            "path": { "type": "string", "description": "Path of the file or directory, absolute (/repo/...) or relative to /repo." },
            "file_text": { "type": "string", "description": "create: the content of the new file." },
            "old_str": { "type": "string", "description": "str_replace: the exact text to replace; it must occur exactly once in the file." },
            "new_str": { "type": "string", "description": "str_replace: the replacement (empty to delete); insert: the lines to insert." },
            "insert_line": { "type": "integer", "description": "insert: new_str goes after this line (0 inserts at the top)." },
            "view_range": { "type": "array", "items": { "type": "integer" }, "description": "view: [start, end] lines to show, 1-based; end -1 means to the end of the file." }
          },
          "required": ["command", "path"]
        }
        """);

    public override string Name => "str_replace_editor";

    public override string Description => """
        View, create and edit files.
        * view: a file is shown with line numbers (like `cat -n`), optionally only view_range [start, end] (end -1: to the end); a directory lists its files and folders two levels deep, hidden ones excluded.
        * create: writes file_text to a new file; it refuses to overwrite an existing file (use str_replace for that).
        * str_replace: replaces old_str, which must match exactly one place in the file character for character (whitespace and indentation included), with new_str. Include enough surrounding lines to make old_str unique.
        * insert: inserts new_str after line insert_line (0: at the top).
        * undo_edit: reverts the last edit made to the file (a file created by create is deleted again).
        An edit that would leave a syntax error in a Python, Go, JavaScript or C# file that parsed before is not applied; the errors are shown instead.
        """;

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        str_replace_editor: the body is a JSON object of the arguments.
        <tool: str_replace_editor>
        {"command": "str_replace", "path": "/repo/src/app.py", "old_str": "    return a - b\n", "new_str": "    return a + b\n"}
        </tool>
        Other commands: {"command": "view", "path": "/repo/src/app.py", "view_range": [10, 40]}, {"command": "create", "path": "/repo/new.py", "file_text": "..."}, {"command": "insert", "path": "/repo/a.py", "insert_line": 3, "new_str": "..."}, {"command": "undo_edit", "path": "/repo/a.py"}
        """;

    protected override Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var command = arguments.GetString("command");
        var path = context.Relative(arguments.GetString("path"));
        return command switch
        {
            "view" => ViewAsync(arguments, context, path, cancellationToken),
            "create" => CreateAsync(arguments, context, path, cancellationToken),
            "str_replace" => ReplaceAsync(arguments, context, path, cancellationToken),
            "insert" => InsertAsync(arguments, context, path, cancellationToken),
            "undo_edit" => UndoAsync(context, path, cancellationToken),
            _ => Task.FromResult(ToolResult.Error($"str_replace_editor: unknown command '{command}'; use one of view, create, str_replace, insert, undo_edit")),
        };
    }

    private static async Task<ToolResult> ViewAsync(ToolArguments arguments, ToolContext context, string path, CancellationToken cancellationToken)
    {
        var display = context.Display(path);
        var range = arguments.GetOptionalIntList("view_range");
        if (await WorkspaceText.IsDirectoryAsync(context, path, cancellationToken).ConfigureAwait(false))
        {
            return range is null
                ? await ListAsync(context, display, cancellationToken).ConfigureAwait(false)
                : ToolResult.Error($"str_replace_editor: view_range is not allowed when {display} is a directory");
        }

        var bytes = await WorkspaceText.ReadBytesAsync(context, path, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return ToolResult.Error($"str_replace_editor: the path {display} does not exist");
        }

        var lines = TextLines.Split(WorkspaceText.Decode(bytes, display, forEdit: false));
        var (first, last) = (1, lines.Length);
        if (range is not null)
        {
            if (range.Count != 2)
            {
                return ToolResult.Error("str_replace_editor: view_range must be two integers [start, end]");
            }

            (first, last) = (range[0], range[1] == -1 ? lines.Length : range[1]);
            if (first < 1 || first > Math.Max(1, lines.Length))
            {
                return ToolResult.Error(Invariant($"str_replace_editor: view_range start {first} is outside the file's lines 1-{lines.Length}"));
            }

            if (last < first)
            {
                return ToolResult.Error(Invariant($"str_replace_editor: view_range end {range[1]} is before its start {first} (use -1 for the end of the file)"));
            }

            last = Math.Min(last, lines.Length);
        }

        if (lines.Length == 0)
        {
            return ToolResult.Ok($"{display} is empty.");
        }

        return ToolResult.Ok($"Here's the result of running `cat -n` on {display}:\n{TextLines.Numbered(lines, first, last)}");
    }

    /// <summary>Files and directories two levels deep, hidden ones (and what they hold) left out, directories with a trailing slash.</summary>
    private static async Task<ToolResult> ListAsync(ToolContext context, string display, CancellationToken cancellationToken)
    {
        var result = await context.Sandbox.ExecAsync(
            new ExecRequest
            {
                Command = ["find", display, "-mindepth", "1", "-maxdepth", "2", "-name", ".*", "-prune", "-o", "-type", "d", "-printf", "%p/\\n", "-o", "-print"],
                Timeout = TimeSpan.FromSeconds(60),
            },
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && result.Stdout.Length == 0)
        {
            return ToolResult.Error($"str_replace_editor: cannot list {display}: {result.Stderr.Trim()}");
        }

        var entries = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        return ToolResult.Ok($"Here are the files and directories up to 2 levels deep in {display}, excluding hidden items:\n{string.Join('\n', entries)}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
