using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.Llm;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Agents;

/// <summary>Scripted model turns written once for both action formats, and a client and sandbox for the loop tests.</summary>
internal static class ScriptedActions
{
    public static IEnumerable<object[]> Formats => [[ActionFormat.Native], [ActionFormat.Text]];

    /// <summary>A bash call: native tool call or text action.</summary>
    public static ScriptedReply Bash(ActionFormat format, string command) =>
        format == ActionFormat.Native
            ? ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = command }))
            : ScriptedReply.Text($"I will run a command.\n{TextActions.Format("bash", command)}");

    public static ScriptedReply Submit(ActionFormat format) =>
        format == ActionFormat.Native ? ScriptedReply.ToolCall("submit", "{}") : ScriptedReply.Text("Done.\n" + TextActions.Format("submit", ""));

    /// <summary>A call to a tool that does not exist.</summary>
    public static ScriptedReply Unknown(ActionFormat format) =>
        format == ActionFormat.Native ? ScriptedReply.ToolCall("teleport", "{}") : ScriptedReply.Text(TextActions.Format("teleport", "now"));

    /// <summary>The real client (with retries) on the scripted server.</summary>
    public static IChatClient Client(ScriptedModelServer server, int maxRetries = 2, TimeSpan? requestTimeout = null) => ModelClients.Create(new ModelClientOptions
    {
        Endpoint = server.Endpoint,
        Model = server.Model,
        MaxRetries = maxRetries,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromSeconds(2),
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
    });

    /// <summary>A sandbox over a fresh one-commit git repository.</summary>
    public static async Task<(TempGitRepo Repo, ISandbox Sandbox, ToolContext Context)> WorkspaceAsync()
    {
        var repo = new TempGitRepo();
        repo.Write("hello.py", "def greet():\n    return 'hi'\n").Commit("init");
        var sandbox = await new BubblewrapSandboxProvider().CreateAsync(repo.Path, new SandboxOptions());
        return (repo, sandbox, new ToolContext(sandbox, linter: new SyntaxLinter()));
    }
}
