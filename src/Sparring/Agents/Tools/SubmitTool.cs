using System.Globalization;
using System.Text.Json;
using Sparring.Agents.Tools.Internal;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

/// <summary>
/// <c>submit</c> for the solver: ends the episode with the patch of the working tree (new untracked files included,
/// ignored ones not) against <see cref="ToolContext.StartCommit"/>, or HEAD when that is null.
/// </summary>
/// <remarks>
/// The diff is built in the sandbox through a temporary index, so whatever the model did to the repository's own
/// index (staged, unstaged, committed) does not change what is submitted; repository settings that would change
/// the patch's shape (external diff, no prefix, text conversion) are overridden.
/// </remarks>
internal sealed class SubmitTool : AgentTool
{
    /// <summary>The largest patch accepted (bytes).</summary>
    private const int MaxPatchBytes = 32 * 1024 * 1024;

    private static readonly JsonElement Schema = ToolSchema.Parse("""{ "type": "object", "properties": {} }""");

    private const string Script = """
        set -e
        start="$1"
        index_dir=$(mktemp -d)
        export GIT_INDEX_FILE="$index_dir/index"
        g() { git -c safe.directory='*' -c core.hooksPath=/dev/null -c diff.noprefix=false -c diff.mnemonicPrefix=false -c core.quotePath=true "$@"; }
        g read-tree "$start"
        g add -A
        g diff --cached --binary --no-color --no-ext-diff --no-textconv --no-renames --src-prefix=a/ --dst-prefix=b/ "$start" --
        """;

    public override string Name => "submit";

    public override string Description =>
        "Submit your work and end the episode. The submission is the diff of every change in the repository (new files included) " +
        "against the commit you started from; there is no need to commit or stage anything. Call it only when you are done.";

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => """
        submit: no arguments; the body is empty. Ends the episode with the diff of all your changes.
        <tool: submit>
        </tool>
        """;

    /// <summary>Takes no arguments: any body is ignored.</summary>
    public override ToolArguments ParseText(string body) => ToolArguments.Empty;

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var start = context.StartCommit ?? "HEAD";
        var result = await context.Sandbox.ExecAsync(
            new ExecRequest
            {
                Command = ["/bin/bash", "-c", Script, "sparring-submit", start],
                Timeout = TimeSpan.FromMinutes(2),
                OutputLimitBytes = MaxPatchBytes,
            },
            cancellationToken).ConfigureAwait(false);
        if (result.TimedOut || result.ExitCode != 0)
        {
            var why = result.TimedOut ? "it took longer than 2 minutes" : result.Stderr.Trim();
            return ToolResult.Error($"submit: the patch could not be computed: {why}");
        }

        if (result.OutputTruncated)
        {
            return ToolResult.Error(string.Create(
                CultureInfo.InvariantCulture,
                $"submit: the patch is larger than {MaxPatchBytes / (1024 * 1024)} MiB; delete generated or large files you added, then submit again"));
        }

        var patch = result.Stdout;
        if (patch.Trim().Length == 0)
        {
            return ToolResult.Error($"submit: nothing to submit: the working tree has no changes against {start}. Make your changes, then submit.");
        }

        var files = patch.Split('\n')
            .Where(l => l.StartsWith("diff --git a/", StringComparison.Ordinal))
            .Select(l => l["diff --git a/".Length..l.IndexOf(" b/", StringComparison.Ordinal)])
            .ToList();
        var summary = string.Create(CultureInfo.InvariantCulture, $"Submitted a patch changing {files.Count} file{(files.Count == 1 ? "" : "s")}: {string.Join(", ", files)}.");
        return new ToolResult { Output = summary, Submitted = true, Submission = patch };
    }
}
