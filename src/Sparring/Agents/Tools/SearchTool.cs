using System.Globalization;
using System.Text;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>search</c>: ripgrep over the repository (regex, line numbers, files ignored by git, hidden and binary files skipped).
/// No match is an answer, not an error; an invalid regex is an error.
/// </summary>
internal sealed class SearchTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "pattern": { "type": "string", "description": "A regular expression (Rust/ripgrep syntax)." },
            "path": { "type": "string", "description": "File or directory to search (default: /repo)." },
            "glob": { "type": "string", "description": "Only search files matching this glob, e.g. *.py." }
          },
          "required": ["pattern"]
        }
        """);

    private readonly ToolOptions _options;

    public SearchTool(ToolOptions? options = null) => _options = (options ?? new ToolOptions()).Validate();

    public override string Name => "search";

    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"Search file contents with ripgrep: `pattern` is a regular expression (escape ( [ {{ . and friends for a literal match). " +
        $"Prints path:line:text for each matching line, at most {_options.MaxSearchResults} lines. " +
        $"Optional `path` limits the search to a file or folder, `glob` to file names (e.g. *.py). Files ignored by git and hidden files are skipped.");

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        search: the body is the regex on the first line, optionally the path on the second and a glob on the third (or a JSON object {"pattern", "path", "glob"}).
        <tool: search>
        def parse_\w+
        src
        *.py
        </tool>
        """;

    public override ToolArguments ParseText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.TrimStart().StartsWith('{'))
        {
            return ToolArguments.ParseJson(body);
        }

        var lines = body.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0 || lines[0].Length == 0)
        {
            throw new ToolArgumentException("the first line of the body must be the regex to search for");
        }

        var values = new List<KeyValuePair<string, string>> { new("pattern", lines[0]) };
        if (lines.Count > 1 && lines[1].Trim().Length > 0)
        {
            values.Add(new("path", lines[1].Trim()));
        }

        if (lines.Count > 2 && lines[2].Trim().Length > 0)
        {
            values.Add(new("glob", lines[2].Trim()));
        }

        return ToolArguments.FromStrings(values);
    }

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var pattern = arguments.GetString("pattern");
        if (pattern.Length == 0)
        {
            return ToolResult.Error("search: the pattern is empty");
        }

        var display = context.Display(context.Relative(arguments.GetOptionalString("path") ?? ""));
        var glob = arguments.GetOptionalString("glob");
        List<string> rg = ["-n", "--no-heading", "--color", "never", "--sort", "path", "--max-columns", "300", "--max-columns-preview"];
        if (!string.IsNullOrWhiteSpace(glob))
        {
            rg.AddRange(["-g", glob]);
        }

        rg.AddRange(["-e", pattern, "--", display]);
        var max = context.Options.MaxSearchResults;
        var (lines, total, exitCode, errors) = await Ripgrep.RunAsync(context, rg, max, cancellationToken).ConfigureAwait(false);
        var where = string.IsNullOrWhiteSpace(glob) ? display : $"{display} (files matching {glob})";
        if (exitCode == 1 || (exitCode == 0 && total == 0))
        {
            return ToolResult.Ok($"No matches found for \"{pattern}\" in {where}.");
        }

        if (exitCode != 0 && total == 0)
        {
            return ToolResult.Error(errors.Contains("regex parse error", StringComparison.Ordinal)
                ? $"search: invalid regular expression: {errors}\nEscape special characters such as ( ) [ ] {{ }} . * + ? with a backslash for a literal match."
                : $"search: ripgrep failed: {errors}");
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Found {total} matching line{(total == 1 ? "" : "s")} for \"{pattern}\" in {where}:\n");
        builder.AppendJoin('\n', lines).Append('\n');
        if (total > lines.Count)
        {
            builder.Append(CultureInfo.InvariantCulture, $"[{total - lines.Count} more matching lines not shown; narrow the pattern, path or glob]\n");
        }

        if (exitCode != 0)
        {
            builder.Append("[some files could not be searched: ").Append(errors).Append("]\n");
        }

        return ToolResult.Ok(builder.ToString());
    }
}
