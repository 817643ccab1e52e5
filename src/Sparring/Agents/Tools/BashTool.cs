using System.Globalization;
using System.Text;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>bash</c>: runs one command with <c>bash -c</c> in the sandbox, in a fresh process started in the
/// repository root. A non-zero exit code is information for the model, not an error; a timeout is an error.
/// </summary>
internal sealed class BashTool : AgentTool
{
    private static readonly JsonElement Schema = ToolSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "command": { "type": "string", "description": "The bash command (may span several lines)." },
            "timeout": { "type": "integer", "description": "Seconds before the command is killed (optional)." }
          },
          "required": ["command"]
        }
        """);

    private readonly ToolOptions _options;

    public BashTool(ToolOptions? options = null) => _options = (options ?? new ToolOptions()).Validate();

    public override string Name => "bash";

    public override string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"Run a bash command in the repository (/repo). Every call is a fresh shell started in /repo: `cd`, variables and " +
        $"background jobs do not carry over to the next call, so chain steps with && (e.g. `cd src && make`). " +
        $"There is no network. Output shows stdout and stderr and ends with the exit code. Commands are killed after " +
        $"{Seconds(_options.BashTimeout)} s unless `timeout` asks otherwise (at most {Seconds(_options.MaxBashTimeout)} s); " +
        $"long output keeps only its beginning and end. Stdin is empty: do not start interactive programs.");

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        bash: the body is the command, run with `bash -c` in /repo (a fresh shell each time: `cd` does not persist).
        <tool: bash>
        grep -rn "def parse" src | head -20
        </tool>
        """;

    /// <summary>The body is the command itself.</summary>
    public override ToolArguments ParseText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new ToolArgumentException("the command is empty: put the command between <tool: bash> and </tool>");
        }

        return ToolArguments.FromStrings([new("command", body)]);
    }

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var command = arguments.GetString("command");
        if (string.IsNullOrWhiteSpace(command))
        {
            return ToolResult.Error("bash: the command is empty");
        }

        var options = context.Options;
        var timeout = options.BashTimeout;
        if (arguments.GetOptionalInt("timeout") is { } seconds)
        {
            if (seconds <= 0)
            {
                return ToolResult.Error("bash: timeout must be a positive number of seconds");
            }

            timeout = TimeSpan.FromSeconds(Math.Min(seconds, options.MaxBashTimeout.TotalSeconds));
        }

        var result = await context.Sandbox.ExecAsync(
            new ExecRequest
            {
                Command = ["/bin/bash", "-c", command],
                Timeout = timeout,
                OutputLimitBytes = options.OutputLimitChars,
                StandardInput = [],
            },
            cancellationToken).ConfigureAwait(false);
        return Observation(result, timeout);
    }

    private static ToolResult Observation(ExecResult result, TimeSpan timeout)
    {
        var builder = new StringBuilder();
        var stdout = result.Stdout;
        var stderr = result.Stderr;
        if (stdout.Length > 0 && stderr.Length > 0)
        {
            builder.Append("[stdout]\n").Append(stdout).Append(stdout.EndsWith('\n') ? "" : "\n");
            builder.Append("[stderr]\n").Append(stderr).Append(stderr.EndsWith('\n') ? "" : "\n");
        }
        else if (stdout.Length > 0 || stderr.Length > 0)
        {
            var only = stdout.Length > 0 ? stdout : stderr;
            builder.Append(only).Append(only.EndsWith('\n') ? "" : "\n");
        }

        if (result.OutputTruncated)
        {
            builder.Append("[output truncated: only the beginning and end are shown; redirect to a file and inspect parts with head, tail or grep]\n");
        }

        if (result.MemoryLimitHit)
        {
            builder.Append("[the memory limit was reached: a process may have been killed]\n");
        }

        if (result.DiskFull)
        {
            builder.Append("[the workspace's disk quota is full: writes fail with \"No space left on device\"; delete large files you made]\n");
        }

        if (result.TimedOut)
        {
            builder.Append(CultureInfo.InvariantCulture, $"[killed after {Seconds(timeout)} s: the command timed out; use a smaller input, run fewer tests, or pass a larger timeout]");
            return ToolResult.Error(builder.ToString());
        }

        builder.Append(CultureInfo.InvariantCulture, $"[exit code {result.ExitCode}]");
        return ToolResult.Ok(builder.ToString());
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
