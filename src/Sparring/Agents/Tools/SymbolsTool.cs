using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparring.Agents.Tools.Internal;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>symbols</c> (SkyRL-Agent's symbol-aware search): where a name is defined (universal-ctags in the sandbox, with kind,
/// scope and signature) and where it is used (whole-word matches, ripgrep, definition lines left out), so the model can
/// retrieve before it edits. Dependency and build folders are skipped.
/// </summary>
internal sealed partial class SymbolsTool : AgentTool
{
    private const string NoCtags = "@@sparring-no-ctags";
    private const string References = "@@sparring-references";

    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "description": "The symbol's name: a function, method, class, type, variable or constant (an identifier, no dots)." },
            "path": { "type": "string", "description": "File or directory to look in (default: /repo)." }
          },
          "required": ["name"]
        }
        """);

    // ctags prints one JSON object per tag; only those of the name asked for come back from the sandbox.
    private const string Script = """
        name=$1; shift; where=$1; shift
        if ! ctags --list-features 2> /dev/null | grep -qw json; then echo '@@sparring-no-ctags'; exit 0; fi
        out=$(mktemp) || { echo 'mktemp failed' >&2; exit 1; }
        trap 'rm -f "$out"' EXIT
        skipped=(.git node_modules vendor bin obj dist build __pycache__ .venv)
        excludes=(); globs=()
        for d in "${skipped[@]}"; do excludes+=("--exclude=$d"); globs+=(-g "!$d/"); done
        ctags -R "${excludes[@]}" --output-format=json --fields=+nKSZ --sort=no -f - "$where" 2> /dev/null | grep -F "\"name\": \"$name\"" | head -n 200
        echo '@@sparring-references'
        rg -n -w -F --no-heading --color never --sort path --max-columns 300 --max-columns-preview "${globs[@]}" -e "$name" -- "$where" > "$out" 2> /dev/null
        wc -l < "$out"
        head -n "$SPARRING_MAX" "$out"
        """;

    private readonly ToolOptions _options;

    public SymbolsTool(ToolOptions? options = null) => _options = (options ?? new ToolOptions()).Validate();

    public override string Name => "symbols";

    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"Find a symbol by name: its definitions (file, line, kind, scope, signature) and its references (every whole-word use, at most {_options.MaxSearchResults} lines). " +
        $"Use it to read the code a change touches, and the code that calls it, before editing. Optional `path` limits it to a file or folder.");

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        symbols: the body is the symbol's name on the first line, optionally a file or folder on the second (or a JSON object {"name", "path"}).
        <tool: symbols>
        low_stock
        inventory
        </tool>
        """;

    public override ToolArguments ParseText(string body) => NameAndPathBody.Parse(body, "the symbol's name");

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var name = arguments.GetString("name").Trim();
        if (!Identifier().IsMatch(name))
        {
            return ToolResult.Error($"symbols: '{name}' is not a name (letters, digits, _ and $, not starting with a digit); use search for patterns");
        }

        var display = context.Display(context.Relative(arguments.GetOptionalString("path") ?? ""));
        var result = await context.Sandbox.ExecAsync(
            new ExecRequest
            {
                Command = ["/bin/bash", "-c", Script, "sparring-symbols", name, display],
                Environment = new Dictionary<string, string> { ["SPARRING_MAX"] = _options.MaxSearchResults.ToString(CultureInfo.InvariantCulture) },
                Timeout = TimeSpan.FromSeconds(120),
            },
            cancellationToken).ConfigureAwait(false);
        if (result.TimedOut)
        {
            return ToolResult.Error("symbols: the lookup took longer than 120 s; give a narrower path");
        }

        var output = result.Stdout;
        if (output.StartsWith(NoCtags, StringComparison.Ordinal))
        {
            return ToolResult.Error("symbols: universal-ctags is not installed in this sandbox; use search and find_file instead");
        }

        var split = output.IndexOf(References, StringComparison.Ordinal);
        if (split < 0)
        {
            return ToolResult.Error($"symbols: the lookup failed: {result.Stderr.Trim()}");
        }

        // ctags and rg both name files as they were given the folder, so definitions and references read alike.
        var definitions = Definitions(output[..split], name);
        var rest = output[(split + References.Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var total = rest.Length > 0 && int.TryParse(rest[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
        var defined = definitions.Select(d => (d.Path, d.Line)).ToHashSet();
        var uses = rest.Skip(1).Where(l => !IsDefinitionLine(l, defined)).ToList();
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Definitions of {name} in {display}: ");
        if (definitions.Count == 0)
        {
            builder.Append("none found.\n");
        }
        else
        {
            builder.Append(CultureInfo.InvariantCulture, $"{definitions.Count}\n");
            foreach (var d in definitions)
            {
                builder.Append(CultureInfo.InvariantCulture, $"  {d.Path}:{d.Line}  {d.Kind}{(d.Scope is null ? "" : " in " + d.Scope)}{(d.Signature is null ? "" : "  " + name + d.Signature)}\n");
            }
        }

        var referenceCount = total - (rest.Length - 1 - uses.Count);
        builder.Append(CultureInfo.InvariantCulture, $"References (whole-word uses, definitions left out): {Math.Max(0, referenceCount)}\n");
        foreach (var use in uses)
        {
            builder.Append("  ").Append(use).Append('\n');
        }

        if (total > rest.Length - 1)
        {
            builder.Append(CultureInfo.InvariantCulture, $"[{total - (rest.Length - 1)} more matching lines not shown; give a narrower path]\n");
        }

        return ToolResult.Ok(builder.ToString());
    }

    private static List<(string Path, int Line, string Kind, string? Scope, string? Signature)> Definitions(string ctags, string name)
    {
        var found = new List<(string, int, string, string?, string?)>();
        foreach (var line in ctags.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var tag = JsonDocument.Parse(line);
                var root = tag.RootElement;
                if (root.ValueKind != JsonValueKind.Object || Text(root, "name") != name || Text(root, "path") is not { } path
                    || !root.TryGetProperty("line", out var number) || number.ValueKind != JsonValueKind.Number)
                {
                    continue;
                }

                found.Add((path, number.GetInt32(), Text(root, "kind") ?? "symbol", Text(root, "scope"), Text(root, "signature")));
            }
            catch (JsonException)
            {
                // A line ctags cut or a file name it could not encode: not a definition we can show.
            }
        }

        return [.. found.OrderBy(d => d.Item1, StringComparer.Ordinal).ThenBy(d => d.Item2)];
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Whether an rg line (<c>path:line:text</c>; a path may hold colons) is one of the definitions.</summary>
    private static bool IsDefinitionLine(string reference, HashSet<(string Path, int Line)> defined) =>
        defined.Any(d => reference.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{d.Path}:{d.Line}:"), StringComparison.Ordinal));

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*$")]
    private static partial Regex Identifier();
}
