using System.Text.Json;
using Sparring.Internal;

namespace Sparring.Repos;

/// <summary>
/// Symbols from Debian's universal-ctags (JSON output with end lines) for Python, Go, JavaScript, TypeScript and C#.
/// Where ctags gives no end line (JavaScript functions in 5.9), the end is found by matching braces.
/// </summary>
/// <remarks>
/// ctags 5.9 tags <c>const f = (a) =&gt; {</c> and <c>const f = function (a) {</c> as constants or variables; such a
/// binding counts as a function when its line opens the function's block (an arrow with an expression body does not).
/// </remarks>
public sealed partial class CtagsSymbolIndex : ISymbolIndex
{
    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        [".py"] = "Python",
        [".go"] = "Go",
        [".js"] = "JavaScript",
        [".mjs"] = "JavaScript",
        [".cjs"] = "JavaScript",
        [".ts"] = "TypeScript",
        [".mts"] = "TypeScript",
        [".cts"] = "TypeScript",
        [".cs"] = "C#",
    };

    /// <summary>The language of a path by its extension, or null when not supported.</summary>
    public static string? LanguageOf(string path) => Languages.GetValueOrDefault(Path.GetExtension(path));

    public async Task<IReadOnlyList<Symbol>> FindAsync(string tree, IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var supported = paths.Where(p => LanguageOf(p) is not null).Distinct(StringComparer.Ordinal).ToList();
        if (supported.Count == 0)
        {
            return [];
        }

        var arguments = new List<string> { "--output-format=json", "--fields=+neKS", "--sort=no", "-f", "-" };
        arguments.AddRange(supported);
        ProcessOutcome outcome;
        try
        {
            outcome = await ProcessRunner.RunAsync(
                new ProcessSpec { FileName = "ctags", Arguments = arguments, WorkingDirectory = tree, Timeout = TimeSpan.FromMinutes(2), OutputLimitBytes = 256 * 1024 * 1024 },
                TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStartException ex)
        {
            throw new ProcessStartException("ctags (Debian package universal-ctags)", ex);
        }

        var symbols = new List<Symbol>();
        var fileLines = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse(line) is not { } tag)
            {
                continue;
            }

            var language = LanguageOf(tag.Path)!;
            var end = tag.End;
            if (end is null && language is not "Python" || tag.Binding)
            {
                if (!fileLines.TryGetValue(tag.Path, out var lines))
                {
                    lines = await File.ReadAllLinesAsync(Path.Combine(tree, tag.Path), cancellationToken).ConfigureAwait(false);
                    fileLines[tag.Path] = lines;
                }

                if (tag.Binding && (tag.Line > lines.Length || !FunctionBinding().IsMatch(lines[tag.Line - 1]) || language is not ("JavaScript" or "TypeScript")))
                {
                    continue;
                }

                end ??= BraceEnd(lines, tag.Line);
            }

            if (end is null || end < tag.Line)
            {
                continue;
            }

            symbols.Add(new Symbol
            {
                Name = tag.Name,
                Kind = tag.Kind,
                Path = tag.Path,
                StartLine = tag.Line,
                EndLine = end.Value,
                Scope = tag.Scope,
                Language = language,
                Signature = tag.Signature,
            });
        }

        return symbols.OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.StartLine).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    // Binding: a constant or variable that may hold a function (checked against its line).
    private sealed record Tag(string Name, SymbolKind Kind, string Path, int Line, int? End, string? Scope, string? Signature, bool Binding = false);

    private static Tag? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (!root.TryGetProperty("_type", out var type) || type.GetString() != "tag")
            {
                return null;
            }

            var kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null;
            var binding = kind is "constant" or "variable";
            SymbolKind? mapped = kind switch
            {
                "function" or "func" or "constant" or "variable" => SymbolKind.Function,
                "method" or "member" when root.TryGetProperty("signature", out _) => SymbolKind.Method,
                "class" or "struct" => SymbolKind.Class,
                _ => null,
            };
            if (mapped is null)
            {
                return null;
            }

            // Go methods come as "func" with a receiver scope; Python methods as "member" with a signature.
            if (mapped == SymbolKind.Function && root.TryGetProperty("scopeKind", out var scopeKind) && scopeKind.GetString() is "class" or "struct")
            {
                mapped = SymbolKind.Method;
            }

            return new Tag(
                root.GetProperty("name").GetString()!,
                mapped.Value,
                root.GetProperty("path").GetString()!,
                root.GetProperty("line").GetInt32(),
                root.TryGetProperty("end", out var e) ? e.GetInt32() : null,
                root.TryGetProperty("scope", out var s) ? s.GetString() : null,
                Signature(root),
                binding);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Signature(JsonElement root)
    {
        var signature = root.TryGetProperty("signature", out var s) ? s.GetString() : null;
        var typeref = root.TryGetProperty("typeref", out var t) ? t.GetString() : null;
        if (typeref is not null && typeref.StartsWith("typename:", StringComparison.Ordinal))
        {
            signature = $"{signature} {typeref["typename:".Length..]}".Trim();
        }

        return signature;
    }

    /// <summary>The line closing the first brace opened at or after <paramref name="start"/> (strings and comments are not parsed: a heuristic).</summary>
    private static int? BraceEnd(string[] lines, int start)
    {
        var depth = 0;
        var parentheses = 0;
        var opened = false;
        for (var i = start - 1; i < lines.Length; i++)
        {
            foreach (var c in lines[i])
            {
                // Before the body, braces inside parentheses are destructured or typed parameters: ({a, b}) or (o: { x: number }).
                if (!opened && c is '(' or ')')
                {
                    parentheses += c == '(' ? 1 : -1;
                }
                else if (!opened && parentheses > 0)
                {
                    continue;
                }
                else if (c == '{')
                {
                    depth++;
                    opened = true;
                }
                else if (c == '}')
                {
                    depth--;
                    if (opened && depth == 0)
                    {
                        return i + 1;
                    }
                }
            }

            if (!opened && i > start + 2)
            {
                return null;
            }
        }

        return null;
    }

    // `[export] const|let|var name [: type] = [async] function … {` or `… = [async] (params) [: type] => {` / `x => {`, the block opening on this line.
    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b.*|(?:\([^()]*\)|[\w$]+)(?:\s*:[^=]+)?\s*=>\s*)\{\s*(?://.*)?$")]
    private static partial System.Text.RegularExpressions.Regex FunctionBinding();
}
