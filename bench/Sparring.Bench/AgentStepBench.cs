using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.Llm;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Bench;

/// <summary>
/// What the harness adds to an agent step, with the scripted model answering at once: an episode of N steps of one
/// tool call each (<c>bash true</c>, or a file view), against N bare model calls to the same server. The difference,
/// per step, is the loop, the tool and its sandbox, and saving the trajectory: the harness's own time. Each episode
/// runs twice, journalled and with the whole file rewritten per step, so the two are compared under the same load; and
/// all of it twice more, in a sandbox started per command and in one kept alive for the episode (as agents now run).
/// </summary>
internal static class AgentStepBench
{
    /// <summary>Per tool: the journalled episode and the rewriting one against the bare model calls, and the median of the tool called alone, per step.</summary>
    public static async Task<IReadOnlyList<(Comparison Journalled, Comparison Rewriting, double ToolAloneMs)>> RunAsync(int steps, int repeats)
    {
        using var repo = new TempGitRepo();
        repo.Write("hello.py", string.Concat(Enumerable.Range(1, 200).Select(i => $"x{i} = {i}\n"))).Commit("init");
        var sandboxes = new BubblewrapSandboxProvider();
        var results = new List<(Comparison, Comparison, double)>();
        foreach (var (mode, options) in new[] { ("a sandbox per command", new SandboxOptions()), ("one sandbox kept alive", new SandboxOptions { KeepAlive = true }) })
        {
            await using var sandbox = await sandboxes.CreateAsync(repo.Path, options);
            results.AddRange(await RunToolsAsync(sandbox, mode, steps, repeats));
        }

        return results;
    }

    private static async Task<List<(Comparison, Comparison, double)>> RunToolsAsync(ISandbox sandbox, string mode, int steps, int repeats)
    {
        var results = new List<(Comparison, Comparison, double)>();
        foreach (var (label, tool, arguments) in new[]
        {
            ("bash true", "bash", """{"command":"true"}"""),
            ("file view", "str_replace_editor", """{"command":"view","path":"hello.py"}"""),
        })
        {
            var bare = new List<double>();
            var episode = new List<double>();
            var rewriting = new List<double>();
            var alone = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                bare.Add(await BareCallsAsync(steps) / steps);
                alone.Add(await ToolAloneAsync(sandbox, steps, tool, arguments) / steps);
                episode.Add(await EpisodeAsync(sandbox, steps, tool, arguments, rewrite: false) / steps);
                rewriting.Add(await EpisodeAsync(sandbox, steps, tool, arguments, rewrite: true) / steps);
            }

            results.Add((
                new Comparison($"agent step, {label}, {mode} (per step)", Median(bare), Median(episode), episode.Max(), repeats),
                new Comparison("  the same, whole trajectory rewritten per step", Median(bare), Median(rewriting), rewriting.Max(), repeats),
                Median(alone)));
        }

        return results;
    }

    /// <summary>Milliseconds for <paramref name="steps"/> model calls alone, each sending the same short request.</summary>
    private static async Task<double> BareCallsAsync(int steps)
    {
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue([.. Enumerable.Range(0, steps).Select(_ => ScriptedReply.ToolCall("bash", """{"command":"true"}"""))]);
        using var client = ModelClients.Create(new ModelClientOptions { Endpoint = server.Endpoint, Model = server.Model });
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < steps; i++)
        {
            await client.GetResponseAsync([new ChatMessage(ChatRole.User, "step")]);
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Milliseconds for <paramref name="steps"/> calls of the tool alone (its sandbox command included), no model and no loop.</summary>
    private static async Task<double> ToolAloneAsync(ISandbox sandbox, int steps, string tool, string arguments)
    {
        var agentTool = ToolSets.Solver().Single(t => t.Name == tool);
        var context = new ToolContext(sandbox);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < steps; i++)
        {
            var result = await agentTool.InvokeAsync(ToolArguments.ParseJson(arguments), context);
            if (result.IsError)
            {
                throw new InvalidOperationException($"{tool} alone failed: {result.Output}");
            }
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Milliseconds for an episode of <paramref name="steps"/> tool calls (the submit turn not counted), journalled
    /// as the agents do, or with <paramref name="rewrite"/> the whole trajectory written after every step (as before
    /// the journal), to compare the two under the same load.
    /// </summary>
    private static async Task<double> EpisodeAsync(ISandbox sandbox, int steps, string tool, string arguments, bool rewrite)
    {
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue([.. Enumerable.Range(0, steps).Select(_ => ScriptedReply.ToolCall(tool, arguments))]);
        using var client = ModelClients.Create(new ModelClientOptions { Endpoint = server.Endpoint, Model = server.Model });
        using var output = new TempDirectory("sparring-bench-agent-");
        var path = Path.Combine(output.Path, "trajectory.json");

        var loop = new AgentLoop(client, ToolSets.Solver(), new AgentOptions { MaxTurns = steps, KeepObservations = 5 })
        {
            OnStep = rewrite ? (t, ct) => TrajectoryFiles.SaveAsync(t, path, ct) : new TrajectoryJournal(path).AppendAsync,
        };
        var context = new ToolContext(sandbox);
        var started = Stopwatch.GetTimestamp();
        var result = await loop.RunAsync("You fix bugs.", "Look around.", context, loop.NewTrajectory("bench", "solver"));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (result.Exit != AgentExit.TurnLimit || result.Trajectory.Messages.Count(m => m.ToolName == tool && m.IsError != true) != steps)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the {tool} episode did not run {steps} clean steps: {result.Exit} {result.Trajectory.ExitDetail}"));
        }

        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
