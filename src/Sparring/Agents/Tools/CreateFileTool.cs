using System.Globalization;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;

namespace Sparring.Agents.Tools;

/// <summary><c>create</c> (CWM): writes a whole file, creating or overwriting it; the old content stays in the edit history.</summary>
internal sealed class CreateFileTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "path": { "type": "string", "description": "The file to write, absolute (/repo/...) or relative to /repo." },
            "content": { "type": "string", "description": "The complete new content of the file." }
          },
          "required": ["path", "content"]
        }
        """);

    public override string Name => "create";

    public override string Description =>
        "Write a whole file: creates it (and its folders) or replaces its entire content. Prefer `edit` for changing part of an existing file. " +
        "A file that would have a Python, Go, JavaScript or C# syntax error (and had none before) is not written; the errors are shown instead.";

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        create: the first line of the body is the path, the rest is the file's complete content.
        <tool: create>
        tests/test_add.py
        from app import add

        def test_add():
            assert add(2, 3) == 5
        </tool>
        """;

    /// <summary>First line: the path; the rest: the content, ending with a newline (the action format drops the last one).</summary>
    public override ToolArguments ParseText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var trimmed = body.TrimStart('\n', '\r');
        var newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var path = (newline < 0 ? trimmed : trimmed[..newline]).Trim();
        if (path.StartsWith("###", StringComparison.Ordinal))
        {
            path = path[3..].Trim();
        }

        if (path.Length == 0)
        {
            throw new ToolArgumentException("the first line of the body must be the file's path, the rest its content");
        }

        var content = newline < 0 ? "" : trimmed[(newline + 1)..];
        if (content.Length > 0 && !content.EndsWith('\n'))
        {
            content += "\n";
        }

        return ToolArguments.FromStrings([new("path", path), new("content", content)]);
    }

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var path = context.Relative(arguments.GetString("path"));
        var content = arguments.GetString("content");
        var display = context.Display(path);
        WorkspaceText.EnsureWritable(context, path);
        var before = await WorkspaceText.ReadBytesAsync(context, path, cancellationToken).ConfigureAwait(false);
        var (rejection, note) = await EditWriter.WriteAsync(context, path, before, content, null, cancellationToken).ConfigureAwait(false);
        if (rejection is not null)
        {
            return rejection;
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"{(before is null ? "Created" : "Overwrote")} {display} ({TextLines.Split(content).Length} lines).");
        return ToolResult.Ok(note is null ? message : message + "\n" + note);
    }
}
