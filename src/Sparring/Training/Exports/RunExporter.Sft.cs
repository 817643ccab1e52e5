using System.Text.Json;
using System.Text;
using Sparring.Injection;
using Sparring.Agents.Tools;
using Sparring.Agents;
using Sparring.Grading;
using Sparring.Internal;
using Sparring.Training.Internal;

namespace Sparring.Training;

public static partial class RunExporter
{
    /// <summary>
    /// Successful trajectories (solved attempts, injector episodes whose artifact was valid) as chat fine-tuning
    /// lines; assistant turns whose action was malformed get weight 0 (rejection fine-tuning, as Nebius did). A tampered
    /// attempt is never a success: it is counted <c>tampered</c>, apart from <c>not-solved</c>.
    /// </summary>
    private static async Task<ExportManifest> ExportSftAsync(RunContents run, RunExportOptions options, CancellationToken cancellationToken)
    {
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var all = await run.RolloutsAsync(options.Roles, skipped, cancellationToken).ConfigureAwait(false);
        var lines = new StringBuilder();
        var written = 0;
        var decisions = new List<string>();
        foreach (var rollout in all)
        {
            if (!rollout.Success)
            {
                Count(skipped, rollout.Role != "solver" ? "not-valid" : rollout.Outcome == GradeOutcome.Tampered ? "tampered" : "not-solved");
                continue;
            }

            if (rollout.Trajectory is null)
            {
                Count(skipped, "no-trajectory");
                continue;
            }

            var example = ToSft(rollout.Trajectory);
            lines.Append(JsonSerializer.Serialize(example, ExportsJsonContext.Default.SftExample)).Append('\n');
            decisions.Add($"line {++written}: {rollout.TrajectoryPath}");
        }

        const string FileName = "sft.jsonl";
        await AtomicFile.WriteAllTextAsync(Path.Combine(options.OutputDirectory, FileName), lines.ToString(), cancellationToken).ConfigureAwait(false);
        return new ExportManifest
        {
            Format = Sft,
            Run = run.Directory,
            Files = [FileName],
            Records = written,
            Candidates = all.Count + skipped.GetValueOrDefault("reward-pending"),
            Skipped = skipped,
            Decisions = decisions,
        };
    }

    /// <summary>A trajectory in OpenAI's chat fine-tuning format: the messages as the model saw and wrote them.</summary>
    internal static SftExample ToSft(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var native = trajectory.ActionFormat != "text";
        var messages = new List<SftMessage>();
        foreach (var m in trajectory.Messages)
        {
            messages.Add(m.Role switch
            {
                "assistant" => new SftMessage
                {
                    Role = "assistant",
                    Content = m.Content.Length == 0 && m.ToolCalls is { Count: > 0 } ? null : m.Content,
                    ToolCalls = m.ToolCalls is { Count: > 0 } calls
                        ? [.. calls.Select(c => new SftToolCall(c.Id, "function", new SftFunctionCall(c.Name, c.Arguments)))]
                        : null,
                    Weight = m.FormatError is null ? 1 : 0,
                },
                "tool" => new SftMessage { Role = "tool", Content = m.Content, ToolCallId = m.ToolCallId },
                _ => new SftMessage { Role = m.Role, Content = m.Content },
            });
        }

        return new SftExample
        {
            Messages = messages,
            Tools = native ? ToolsOf(trajectory) : null,
            ParallelToolCalls = native ? false : null,
        };
    }

    /// <summary>The tool definitions the trajectory recorded; for trajectories older than that record, the role's default set.</summary>
    private static List<SftTool> ToolsOf(Trajectory trajectory)
    {
        var definitions = trajectory.ToolDefinitions
            ?? (trajectory.Role == "injector" ? InjectorTools.Create() : ToolSets.Solver())
                .Where(t => trajectory.Tools.Count == 0 || trajectory.Tools.Contains(t.Name))
                .Select(t => new TrajectoryToolDefinition(t.Name, t.Description, t.ParametersSchema))
                .ToList();
        return [.. definitions.Select(d => new SftTool("function", new SftFunction(d.Name, d.Description, d.Parameters)))];
    }
}
