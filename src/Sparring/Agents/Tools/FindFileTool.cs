using System.Globalization;
using System.Text;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;

namespace Sparring.Agents.Tools;

/// <summary><c>find_file</c>: files whose name matches a glob (<c>rg --files -g</c>), hidden and git-ignored files skipped.</summary>
internal sealed class FindFileTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "description": "File name or glob, e.g. config.py or test_*.py." },
            "path": { "type": "string", "description": "Directory to look in (default: /repo)." }
          },
          "required": ["name"]
        }
        """);

    private readonly ToolOptions _options;

    public FindFileTool(ToolOptions? options = null) => _options = (options ?? new ToolOptions()).Validate();

    public override string Name => "find_file";

    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"Find files by name: `name` is a file name or glob (e.g. models.py, test_*.py, src/**/*.go); optional `path` is the folder to look in. " +
        $"Lists at most {_options.MaxSearchResults} paths. Hidden files and files ignored by git are skipped.");

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        find_file: the body is the file name or glob on the first line, optionally the folder on the second (or a JSON object {"name", "path"}).
        <tool: find_file>
        test_*.py
        tests
        </tool>
        """;

    public override ToolArguments ParseText(string body) => NameAndPathBody.Parse(body, "the file name or glob to find");

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var name = arguments.GetString("name").Trim();
        if (name.Length == 0)
        {
            return ToolResult.Error("find_file: the name is empty");
        }

        var display = context.Display(context.Relative(arguments.GetOptionalString("path") ?? ""));
        var (lines, total, exitCode, errors) = await Ripgrep.RunAsync(
            context, ["--files", "--sort", "path", "-g", name, "--", display], context.Options.MaxSearchResults, cancellationToken).ConfigureAwait(false);
        if (exitCode == 1 || (exitCode == 0 && total == 0))
        {
            return ToolResult.Ok($"No files matching \"{name}\" in {display}.");
        }

        if (total == 0)
        {
            return ToolResult.Error($"find_file: ripgrep failed: {errors}");
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Found {total} file{(total == 1 ? "" : "s")} matching \"{name}\" in {display}:\n");
        builder.AppendJoin('\n', lines).Append('\n');
        if (total > lines.Count)
        {
            builder.Append(CultureInfo.InvariantCulture, $"[{total - lines.Count} more files not shown; use a narrower name or path]\n");
        }

        return ToolResult.Ok(builder.ToString());
    }
}
