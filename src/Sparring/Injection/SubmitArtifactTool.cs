using System.Globalization;
using System.Text.Json;
using System.Text;
using Sparring.Agents.Tools;
using Sparring.Artifacts;

namespace Sparring.Injection;

/// <summary>
/// <c>submit</c> for the bug injector: checks that the SSR artifact files the agent wrote under
/// <see cref="ArtifactDirectory"/> are present and non-empty, then ends the episode. The artifact itself is read
/// and validated by the caller from the workspace.
/// </summary>
internal sealed class SubmitArtifactTool : AgentTool
{
    /// <summary>The workspace-relative folder the injector writes its artifact into.</summary>
    public const string ArtifactDirectory = ".sparring-artifact";

    private static readonly string[] Required = [BugArtifactFiles.BugInject, BugArtifactFiles.TestWeaken, BugArtifactFiles.TestFilesList, BugArtifactFiles.TestScript];

    private static readonly JsonElement Schema = ToolSchema.Parse("""{ "type": "object", "properties": {} }""");

    public override string Name => "submit";

    public override string Description =>
        $"Submit the bug artifact and end the episode. Write it first under /repo/{ArtifactDirectory}/: {string.Join(", ", Required)} " +
        $"(required) and {BugArtifactFiles.TestParser} (optional). Submitting with a file missing or empty is refused with the file named.";

    public override JsonElement ParametersSchema => Schema;

    public override string TextUsage => $"""
        submit: no arguments; the body is empty. Submits the artifact written under /repo/{ArtifactDirectory}/.
        <tool: submit>
        </tool>
        """;

    /// <summary>Takes no arguments: any body is ignored.</summary>
    public override ToolArguments ParseText(string body) => ToolArguments.Empty;

    protected override async Task<ToolResult> InvokeCoreAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var sizes = new List<string>();
        var problems = new List<string>();
        foreach (var name in Required.Append(BugArtifactFiles.TestParser))
        {
            var relative = ArtifactDirectory + "/" + name;
            var required = name != BugArtifactFiles.TestParser;
            byte[]? bytes;
            try
            {
                bytes = await context.Sandbox.ReadFileAsync(relative, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                bytes = null;
            }

            if (bytes is null)
            {
                if (required)
                {
                    problems.Add($"{name} is missing (expected at {context.Display(relative)})");
                }

                continue;
            }

            if (Encoding.UTF8.GetString(bytes).Trim().Length == 0)
            {
                problems.Add($"{name} is empty");
                continue;
            }

            sizes.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({bytes.Length} bytes)"));
        }

        if (problems.Count > 0)
        {
            return ToolResult.Error($"submit: the artifact is incomplete, nothing was submitted: {string.Join("; ", problems)}. Write the missing files under {context.Display(ArtifactDirectory)}/ and submit again.");
        }

        return new ToolResult
        {
            Output = $"Submitted the artifact in {context.Display(ArtifactDirectory)}: {string.Join(", ", sizes)}.",
            Submitted = true,
            Submission = ArtifactDirectory,
        };
    }
}
