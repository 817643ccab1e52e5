using System.Globalization;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>edit</c> (CWM, Agentless, SWE-RL): one search/replace block. SEARCH must occur exactly once in the file,
/// character for character; an empty SEARCH on a missing file creates it.
/// </summary>
internal sealed partial class SearchReplaceTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "path": { "type": "string", "description": "The file to edit, absolute (/repo/...) or relative to /repo." },
            "search": { "type": "string", "description": "The exact text to replace; it must occur exactly once. Empty: create a missing file." },
            "replace": { "type": "string", "description": "The text that replaces it (empty to delete)." }
          },
          "required": ["path", "search", "replace"]
        }
        """);

    public override string Name => "edit";

    public override string Description =>
        "Edit a file by replacing one block of text. SEARCH must match exactly one place in the file, character for character " +
        "(indentation and blank lines included); copy the lines from the file and add neighbouring lines until the block is unique. " +
        "With an empty SEARCH, a file that does not exist yet is created with the REPLACE text. " +
        "An edit that would leave a syntax error in a Python, Go, JavaScript or C# file that parsed before is not applied; the errors are shown instead.";

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        edit: the body is exactly one search/replace block (whole lines; SEARCH must occur exactly once in the file).
        <tool: edit>
        ### src/app.py
        <<<<<<< SEARCH
        def add(a, b):
            return a - b
        =======
        def add(a, b):
            return a + b
        >>>>>>> REPLACE
        </tool>
        """;

    /// <summary>Parses the block; the SEARCH and REPLACE sections become whole lines (each ending with a newline).</summary>
    public override ToolArguments ParseText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var (path, search, replace) = ParseBlock(body);
        return ToolArguments.FromStrings([new("path", path), new("search", search), new("replace", replace)]);
    }

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var path = context.Relative(arguments.GetString("path"));
        var search = arguments.GetString("search");
        var replace = arguments.GetOptionalString("replace") ?? "";
        var display = context.Display(path);
        WorkspaceText.EnsureWritable(context, path);
        var before = await WorkspaceText.ReadBytesAsync(context, path, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            if (search.Length > 0)
            {
                return ToolResult.Error($"edit: {display} does not exist. To create it, leave SEARCH empty and put the whole content in REPLACE.");
            }

            var (created, createdNote) = await EditWriter.WriteAsync(context, path, null, replace, null, cancellationToken).ConfigureAwait(false);
            return created ?? ToolResult.Ok(Note(Invariant($"Created {display} ({TextLines.Split(replace).Length} lines)."), createdNote));
        }

        var text = WorkspaceText.Decode(before, display, forEdit: true);
        if (search.Length == 0)
        {
            if (text.Length > 0)
            {
                return ToolResult.Error($"edit: SEARCH is empty but {display} already exists and is not empty. Put the exact lines to replace in SEARCH.");
            }

            var (filled, filledNote) = await EditWriter.WriteAsync(context, path, before, replace, null, cancellationToken).ConfigureAwait(false);
            return filled ?? ToolResult.Ok(Note($"Wrote {display}.", filledNote));
        }

        if (search == replace)
        {
            return ToolResult.Error("edit: SEARCH and REPLACE are the same; nothing would change");
        }

        var (after, first, last, problem) = Apply(text, search, replace, display);
        if (problem is not null)
        {
            return ToolResult.Error(problem);
        }

        var (rejection, note) = await EditWriter.WriteAsync(context, path, before, after!, (first, last), cancellationToken).ConfigureAwait(false);
        return rejection ?? ToolResult.Ok(Note(
            $"Edited {display}. The changed region now reads:\n{TextLines.Snippet(after!, first, last)}Check that the change is as intended.", note));
    }

    /// <summary>Replaces the single occurrence, or says why not.</summary>
    private static (string? After, int First, int Last, string? Problem) Apply(string text, string search, string replace, string display)
    {
        // Whole-line blocks end with a newline; the file's last line may not.
        var padded = search.EndsWith('\n') && !text.EndsWith('\n') && text.Length > 0;
        var haystack = padded ? text + "\n" : text;
        var matches = TextLines.Occurrences(haystack, search);
        if (matches.Count == 0 && haystack.Contains("\r\n", StringComparison.Ordinal) && !search.Contains('\r', StringComparison.Ordinal))
        {
            var crlf = search.Replace("\n", "\r\n", StringComparison.Ordinal);
            if (TextLines.Occurrences(haystack, crlf) is { Count: > 0 } crlfMatches)
            {
                (search, replace, matches) = (crlf, replace.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal), crlfMatches);
            }
        }

        if (matches.Count == 0)
        {
            return (null, 0, 0, $"edit: SEARCH does not occur in {display}; nothing was changed. It must match the file exactly (indentation, blank lines, trailing spaces).{Hint(text, search)}");
        }

        if (matches.Count > 1)
        {
            var lines = string.Join(", ", matches.Select(i => TextLines.LineOf(haystack, i)));
            return (null, 0, 0, $"edit: SEARCH occurs {matches.Count} times in {display} (starting on lines {lines}); nothing was changed. Add neighbouring lines to SEARCH until it matches only one place.");
        }

        var index = matches[0];
        var after = string.Concat(haystack.AsSpan(0, index), replace, haystack.AsSpan(index + search.Length));
        if (padded && after.EndsWith('\n'))
        {
            after = after[..^1];
        }

        var first = TextLines.LineOf(after, Math.Min(index, after.Length));
        return (after, first, first + TextLines.LineSpan(replace) - 1, null);
    }

    /// <summary>Where SEARCH's first line appears when indentation is ignored: usually the place the model meant.</summary>
    private static string Hint(string text, string search)
    {
        var firstLine = TextLines.Split(search).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        if (firstLine is null)
        {
            return "";
        }

        var lines = TextLines.Split(text);
        var near = Enumerable.Range(0, lines.Length).Where(i => lines[i].Trim() == firstLine).Select(i => i + 1).Take(10).ToList();
        return near.Count == 0
            ? " Its first line does not occur in the file either: view the file first."
            : $" Its first line (ignoring indentation) occurs on line(s) {string.Join(", ", near)}: compare the lines there with SEARCH.";
    }

    private static string Note(string message, string? note) => note is null ? message : message.TrimEnd('\n') + "\n" + note;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
