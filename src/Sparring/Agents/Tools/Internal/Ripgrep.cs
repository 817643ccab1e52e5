using System.Globalization;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools.Internal;

/// <summary>Runs ripgrep in the sandbox, keeping the first lines of its output and counting the rest.</summary>
internal static class Ripgrep
{
    private const string Trailer = "@@sparring-rg ";

    // rg's own output may be huge; it goes to the sandbox's private /tmp and only the head comes back.
    private const string Script = """
        out=$(mktemp) || exit 1
        "$@" > "$out" 2> "$out.err"
        rc=$?
        total=$(wc -l < "$out")
        head -n "$SPARRING_MAX" "$out"
        printf '\n@@sparring-rg %s %s\n' "$rc" "$total"
        head -c 4000 "$out.err" >&2
        """;

    /// <summary>What rg printed (at most <paramref name="max"/> lines), how many lines in all, its exit code and errors.</summary>
    public static async Task<(IReadOnlyList<string> Lines, int Total, int ExitCode, string Errors)> RunAsync(
        ToolContext context, IReadOnlyList<string> rgArguments, int max, CancellationToken cancellationToken)
    {
        var result = await context.Sandbox.ExecAsync(
            new ExecRequest
            {
                Command = ["/bin/bash", "-c", Script, "sparring-rg", "rg", .. rgArguments],
                Environment = new Dictionary<string, string> { ["SPARRING_MAX"] = max.ToString(CultureInfo.InvariantCulture) },
                Timeout = TimeSpan.FromSeconds(120),
            },
            cancellationToken).ConfigureAwait(false);
        var stdout = result.Stdout;
        var at = stdout.LastIndexOf(Trailer, StringComparison.Ordinal);
        if (result.TimedOut || at < 0)
        {
            var why = result.TimedOut ? "the search took longer than 120 s; narrow the path or glob" : result.Stderr.Trim();
            return ([], 0, 2, why);
        }

        var numbers = stdout[(at + Trailer.Length)..].Trim().Split(' ');
        var exitCode = int.Parse(numbers[0], CultureInfo.InvariantCulture);
        var total = int.Parse(numbers[1], CultureInfo.InvariantCulture);
        var lines = stdout[..at].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (lines, total, exitCode, result.Stderr.Trim());
    }
}
