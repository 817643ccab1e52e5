using Sparring.Agents.Tools.Internal;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

internal sealed partial class FileEditorTool
{
    private const string ReviewHint = "Review the changes and make sure they are as expected. Edit the file again if necessary.";

    private static async Task<ToolResult> CreateAsync(ToolArguments arguments, ToolContext context, string path, CancellationToken cancellationToken)
    {
        var text = arguments.GetOptionalString("file_text") ?? throw new ToolArgumentException("missing required argument 'file_text' for create");
        var display = context.Display(path);
        WorkspaceText.EnsureWritable(context, path);
        if (await WorkspaceText.ReadBytesAsync(context, path, cancellationToken).ConfigureAwait(false) is not null)
        {
            return ToolResult.Error($"str_replace_editor: {display} already exists; create does not overwrite files. Use str_replace to change it (or view it first).");
        }

        var (rejection, note) = await EditWriter.WriteAsync(context, path, null, text, null, cancellationToken).ConfigureAwait(false);
        return rejection ?? ToolResult.Ok(Join($"File created successfully at: {display}", note));
    }

    private static async Task<ToolResult> ReplaceAsync(ToolArguments arguments, ToolContext context, string path, CancellationToken cancellationToken)
    {
        var oldStr = arguments.GetString("old_str");
        var newStr = arguments.GetOptionalString("new_str") ?? "";
        var display = context.Display(path);
        if (oldStr.Length == 0)
        {
            return ToolResult.Error("str_replace_editor: old_str is empty; give the exact text to replace (to add text, use insert)");
        }

        if (oldStr == newStr)
        {
            return ToolResult.Error("str_replace_editor: old_str and new_str are the same; nothing would change");
        }

        var (before, text) = await ReadForEditAsync(context, path, cancellationToken).ConfigureAwait(false);
        var matches = TextLines.Occurrences(text, oldStr);

        // A file with CRLF line ends: the model writes \n; match and replace with the file's own line ends.
        if (matches.Count == 0 && text.Contains("\r\n", StringComparison.Ordinal) && !oldStr.Contains('\r', StringComparison.Ordinal))
        {
            var (crlfOld, crlfNew) = (oldStr.Replace("\n", "\r\n", StringComparison.Ordinal), newStr.Replace("\n", "\r\n", StringComparison.Ordinal));
            if (TextLines.Occurrences(text, crlfOld) is { Count: > 0 } crlfMatches)
            {
                (oldStr, newStr, matches) = (crlfOld, crlfNew, crlfMatches);
            }
        }

        if (matches.Count == 0)
        {
            return ToolResult.Error($"str_replace_editor: no replacement was performed: old_str did not appear verbatim in {display}. View the file and copy the exact lines, including indentation.");
        }

        if (matches.Count > 1)
        {
            var lines = string.Join(", ", matches.Select(i => TextLines.LineOf(text, i)));
            return ToolResult.Error($"str_replace_editor: no replacement was performed: old_str occurs {matches.Count} times in {display}, on lines {lines}. Include more surrounding lines so that it is unique.");
        }

        var index = matches[0];
        var after = string.Concat(text.AsSpan(0, index), newStr, text.AsSpan(index + oldStr.Length));
        var first = TextLines.LineOf(after, index);
        var last = first + TextLines.LineSpan(newStr) - 1;
        var (rejection, note) = await EditWriter.WriteAsync(context, path, before, after, (first, last), cancellationToken).ConfigureAwait(false);
        return rejection ?? ToolResult.Ok(Join(
            $"The file {display} has been edited. Here's the result of running `cat -n` on a snippet of {display}:\n{TextLines.Snippet(after, first, last)}{ReviewHint}", note));
    }

    private static async Task<ToolResult> InsertAsync(ToolArguments arguments, ToolContext context, string path, CancellationToken cancellationToken)
    {
        var line = arguments.GetOptionalInt("insert_line") ?? throw new ToolArgumentException("missing required argument 'insert_line' for insert");
        var newStr = arguments.GetString("new_str");
        var display = context.Display(path);
        var (before, text) = await ReadForEditAsync(context, path, cancellationToken).ConfigureAwait(false);
        var count = TextLines.Split(text).Length;
        if (line < 0 || line > count)
        {
            return ToolResult.Error(Invariant($"str_replace_editor: insert_line {line} is outside the range 0-{count} of {display}"));
        }

        // new_str is a block of lines: one trailing newline does not add an empty line.
        var block = newStr.EndsWith('\n') ? newStr[..^1] : newStr;
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        if (newline == "\r\n")
        {
            block = block.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        var offset = OffsetAfterLine(text, line);
        var after = offset == text.Length && text.Length > 0 && !text.EndsWith('\n')
            ? text + newline + block
            : string.Concat(text.AsSpan(0, offset), block, newline, text.AsSpan(offset));
        var (first, last) = (line + 1, line + TextLines.LineSpan(block));
        var (rejection, note) = await EditWriter.WriteAsync(context, path, before, after, (first, last), cancellationToken).ConfigureAwait(false);
        return rejection ?? ToolResult.Ok(Join(
            $"The file {display} has been edited. Here's the result of running `cat -n` on a snippet of the edited file:\n{TextLines.Snippet(after, first, last)}{ReviewHint}", note));
    }

    private static async Task<ToolResult> UndoAsync(ToolContext context, string path, CancellationToken cancellationToken)
    {
        var display = context.Display(path);
        if (!context.EditHistory.TryGetValue(path, out var history) || history.Count == 0)
        {
            return ToolResult.Error($"str_replace_editor: no edit history found for {display}");
        }

        var previous = history.Pop();
        if (previous is null)
        {
            var removed = await context.Sandbox.ExecAsync(new ExecRequest { Command = ["rm", "-f", "--", display], Timeout = TimeSpan.FromSeconds(30) }, cancellationToken).ConfigureAwait(false);
            if (removed.ExitCode != 0)
            {
                history.Push(previous);
                return ToolResult.Error($"str_replace_editor: cannot delete {display}: {removed.Stderr.Trim()}");
            }

            return ToolResult.Ok($"Last edit to {display} undone: the file had been created by this episode and is deleted again.");
        }

        await context.Sandbox.WriteFileAsync(path, previous, cancellationToken).ConfigureAwait(false);
        var lines = TextLines.Split(WorkspaceText.Decode(previous, display, forEdit: false));
        return ToolResult.Ok($"Last edit to {display} undone successfully. Here's the result of running `cat -n` on {display}:\n{TextLines.Numbered(lines, 1, lines.Length)}");
    }

    /// <summary>The bytes and text of an existing text file to edit.</summary>
    private static async Task<(byte[] Bytes, string Text)> ReadForEditAsync(ToolContext context, string path, CancellationToken cancellationToken)
    {
        var display = context.Display(path);
        WorkspaceText.EnsureWritable(context, path);
        var bytes = await WorkspaceText.ReadBytesAsync(context, path, cancellationToken).ConfigureAwait(false)
            ?? throw new ToolArgumentException($"the file {display} does not exist (use create to make a new file)");
        return (bytes, WorkspaceText.Decode(bytes, display, forEdit: true));
    }

    /// <summary>Where line <paramref name="line"/> + 1 starts (0: the top; past the last line: the end).</summary>
    private static int OffsetAfterLine(string text, int line)
    {
        var offset = 0;
        for (var i = 0; i < line; i++)
        {
            var next = text.IndexOf('\n', offset);
            if (next < 0)
            {
                return text.Length;
            }

            offset = next + 1;
        }

        return offset;
    }

    private static string Join(string message, string? note) => note is null ? message : message.TrimEnd('\n') + "\n" + note;
}
