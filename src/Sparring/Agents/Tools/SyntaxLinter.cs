using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

/// <summary>
/// Syntax checks for the linted edit: Python (<c>ast.parse</c>), Go (<c>gofmt -e</c>), JavaScript
/// (<c>node --check</c>, as CommonJS then as an ES module) inside the sandbox, and C# with Roslyn in-process.
/// Messages are <c>/repo/path:LINE:COL: message</c>, at most ten.
/// </summary>
/// <remarks>
/// Only syntax, never style or types. When a toolchain is missing or the check itself fails (crash, timeout),
/// <see cref="LintAsync"/> returns null: a broken linter must not block edits. Stateless and thread-safe.
/// </remarks>
public sealed class SyntaxLinter : ILinter
{
    private const int MaxMessages = 10;

    /// <summary>Exit code of the in-sandbox checks when the content has syntax errors (distinct from a crash's 1).</summary>
    private const int SyntaxErrorExit = 3;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    private static readonly CSharpParseOptions CSharpOptions = new(LanguageVersion.Preview);

    private const string PythonCheck = """
        import ast, sys
        name = sys.argv[1]
        try:
            ast.parse(sys.stdin.buffer.read(), name)
        except SyntaxError as e:
            print(f"{name}:{e.lineno or 1}:{e.offset or 1}: {type(e).__name__}: {e.msg}")
            sys.exit(3)
        except ValueError as e:
            print(f"{name}:1:1: {e}")
            sys.exit(3)
        """;

    // Node reads the source from stdin (no temp file: each sandboxed command has its own empty /tmp anyway).
    // A .js file may be either module kind; it fails only when it parses as neither.
    private const string NodeCheck = """
        node="$1"; kinds="$2"
        [ -x "$node" ] || node=$(command -v node) || exit 127
        src=$(mktemp) || exit 1
        cat > "$src"
        for kind in $kinds; do
          "$node" --no-warnings --input-type="$kind" --check < "$src" 2> "$src.$kind" && exit 0
        done
        for kind in $kinds; do echo "@@$kind"; cat "$src.$kind"; done
        exit 3
        """;

    private const string GofmtCheck = """
        gofmt="$1"
        [ -x "$gofmt" ] || gofmt=$(command -v gofmt) || exit 127
        "$gofmt" -e -l > /dev/null || exit 3
        """;

    private readonly string? _python;
    private readonly string? _gofmt;
    private readonly string? _node;

    /// <summary>Finds python3, gofmt and node at their usual places.</summary>
    public SyntaxLinter()
        : this(
            FirstExisting("/usr/bin/python3", "/usr/local/bin/python3"),
            FirstExisting("/usr/lib/go/bin/gofmt", "/usr/bin/gofmt", "/usr/local/go/bin/gofmt"),
            FirstExisting("/usr/bin/node", "/usr/local/bin/node"))
    {
    }

    /// <summary>Uses the given toolchain paths (inside the sandbox); null marks a language unsupported.</summary>
    internal SyntaxLinter(string? python, string? gofmt, string? node)
    {
        _python = python;
        _gofmt = gofmt;
        _node = node;
    }

    /// <summary>Where gofmt was found, or null (Go files are then not linted).</summary>
    public string? GofmtPath => _gofmt;

    public bool Supports(string relativePath) => Language(relativePath) switch
    {
        "python" => _python is not null,
        "go" => _gofmt is not null,
        "js" or "mjs" or "cjs" => _node is not null,
        "csharp" => true,
        _ => false,
    };

    public async Task<string?> LintAsync(string relativePath, string content, ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(context);
        if (!Supports(relativePath))
        {
            return null;
        }

        var display = context.Display(relativePath);
        var language = Language(relativePath)!;
        if (language == "csharp")
        {
            return LintCSharp(display, content, cancellationToken) is { } errors ? errors + "\n" : null;
        }

        var request = language switch
        {
            "python" => Request([_python!, "-W", "ignore", "-c", PythonCheck, display], content),
            "go" => Request(["/bin/bash", "-c", GofmtCheck, "sparring-lint", _gofmt!], content),
            "js" => Request(["/bin/bash", "-c", NodeCheck, "sparring-lint", _node!, "commonjs module"], content),
            "mjs" => Request(["/bin/bash", "-c", NodeCheck, "sparring-lint", _node!, "module"], content),
            _ => Request(["/bin/bash", "-c", NodeCheck, "sparring-lint", _node!, "commonjs"], content),
        };
        var result = await context.Sandbox.ExecAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.TimedOut || result.ExitCode != SyntaxErrorExit)
        {
            return null;
        }

        var message = language switch
        {
            "python" => result.Stdout,
            "go" => GoMessages(display, result.Stderr),
            _ => NodeMessage(display, result.Stdout),
        };
        return string.IsNullOrWhiteSpace(message) ? null : message.TrimEnd('\n') + "\n";
    }

    private static ExecRequest Request(IReadOnlyList<string> command, string content) => new()
    {
        Command = command,
        StandardInput = Encoding.UTF8.GetBytes(content),
        Timeout = CheckTimeout,
        OutputLimitBytes = 64 * 1024,
    };

    private static string? Language(string relativePath) => Path.GetExtension(relativePath).ToUpperInvariant() switch
    {
        ".PY" or ".PYI" => "python",
        ".GO" => "go",
        ".JS" => "js",
        ".MJS" => "mjs",
        ".CJS" => "cjs",
        ".CS" => "csharp",
        _ => null,
    };

    private static string? LintCSharp(string display, string content, CancellationToken cancellationToken)
    {
        var tree = CSharpSyntaxTree.ParseText(content, CSharpOptions, display, cancellationToken: cancellationToken);
        var errors = tree.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0)
        {
            return null;
        }

        var lines = errors.Take(MaxMessages).Select(d =>
        {
            var position = d.Location.GetLineSpan().StartLinePosition;
            return string.Create(CultureInfo.InvariantCulture, $"{display}:{position.Line + 1}:{position.Character + 1}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}");
        });
        return string.Join('\n', lines) + More(errors.Count);
    }

    /// <summary>gofmt writes <c>&lt;standard input&gt;:2:12: expected ')', found '{'</c>; name the file instead.</summary>
    private static string? GoMessages(string display, string stderr)
    {
        var lines = stderr.Split('\n').Where(l => l.StartsWith("<standard input>:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        return lines.Count == 0
            ? null
            : string.Join('\n', lines.Take(MaxMessages).Select(l => display + l["<standard input>".Length..])) + More(lines.Count);
    }

    /// <summary>
    /// Node prints <c>[stdin]:LINE</c>, the source line, a caret line and <c>SyntaxError: …</c>. For a .js file that
    /// failed both ways, the ES-module error is the relevant one when CommonJS choked on module syntax.
    /// </summary>
    private static string? NodeMessage(string display, string stdout)
    {
        var sections = stdout.Split("@@", StringSplitOptions.RemoveEmptyEntries)
            .Select(s => (Kind: s[..Math.Max(0, s.IndexOf('\n', StringComparison.Ordinal))], Text: s[(s.IndexOf('\n', StringComparison.Ordinal) + 1)..]))
            .ToList();
        if (sections.Count == 0)
        {
            return null;
        }

        var chosen = sections[0];
        string[] moduleSyntax = ["Cannot use import statement outside a module", "Unexpected token 'export'", "import.meta", "await is only valid"];
        if (sections.Count > 1 && moduleSyntax.Any(m => chosen.Text.Contains(m, StringComparison.Ordinal)))
        {
            chosen = sections[1];
        }

        var lines = chosen.Text.Split('\n');
        var location = lines[0].Trim();
        var line = location.StartsWith("[stdin]:", StringComparison.Ordinal) ? location["[stdin]:".Length..] : "1";
        var caret = lines.Length > 2 ? lines[2].IndexOf('^', StringComparison.Ordinal) : -1;
        var error = lines.FirstOrDefault(l => l.Contains("Error:", StringComparison.Ordinal) && !l.StartsWith("    at ", StringComparison.Ordinal))?.Trim()
            ?? "SyntaxError";
        return string.Create(CultureInfo.InvariantCulture, $"{display}:{line}:{Math.Max(caret, 0) + 1}: {error}");
    }

    private static string More(int count) => count > MaxMessages
        ? string.Create(CultureInfo.InvariantCulture, $"\n({count - MaxMessages} more errors not shown)")
        : "";

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);
}
