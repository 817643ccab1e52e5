using System.Text;
using System.Text.Json;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.TestUtilities;
using static Sparring.Tests.Agents.ScriptedActions;

namespace Sparring.Tests.Agents;

public sealed class TrajectoryJournalTests : IDisposable
{
    private readonly TempDirectory _output = new();

    private string TrajectoryPath => Path.Combine(_output.Path, "trajectory.json");

    public void Dispose() => _output.Dispose();

    private static Trajectory NewTrajectory() => new()
    {
        Id = "t-1",
        Role = "solver",
        ActionFormat = "native",
        StartedAt = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero),
        Budgets = new TrajectoryBudgets(100, 1_000_000, 600, 5, 3),
        Tools = ["bash"],
        Messages = [new TrajectoryMessage { Role = "system", Content = "You fix bugs." }, new TrajectoryMessage { Role = "user", Content = "Fix it." }],
    };

    /// <summary>One step as the loop takes it: an assistant call and its observation, and the counters.</summary>
    private static void Step(Trajectory trajectory, int n)
    {
        var id = $"call_{n}";
        trajectory.Messages.Add(new TrajectoryMessage { Role = "assistant", Content = "", ToolCalls = [new TrajectoryToolCall(id, "bash", "{\"command\":\"true\"}")], AtMs = n });
        trajectory.Messages.Add(new TrajectoryMessage { Role = "tool", Content = $"output {n}\nline two", ToolName = "bash", ToolCallId = id, IsError = false, AtMs = n + 0.5, DurationMs = 0.5 });
        trajectory.Turns++;
        trajectory.PromptTokens += 100;
        trajectory.CompletionTokens += 10;
        trajectory.DurationMs = n + 0.5;
    }

    private static string Json(Trajectory trajectory) => JsonSerializer.Serialize(trajectory, AgentsJsonContext.Default.Trajectory);

    [Fact]
    public async Task AppendAsync_StepAfterManySteps_AppendsOneLineWithOnlyItsMessages()
    {
        // Arrange
        var journal = new TrajectoryJournal(TrajectoryPath);
        var trajectory = NewTrajectory();
        await journal.AppendAsync(trajectory);
        var afterFirst = Directory.GetFiles(_output.Path).Select(Path.GetFileName).ToList();
        for (var n = 1; n <= 50; n++)
        {
            Step(trajectory, n);
            await journal.AppendAsync(trajectory);
        }

        var before = await File.ReadAllBytesAsync(journal.JournalPath);

        // Act
        Step(trajectory, 51);
        await journal.AppendAsync(trajectory);

        // Assert
        var after = await File.ReadAllBytesAsync(journal.JournalPath);
        Assert.Equal(before, after[..before.Length]);
        var added = Encoding.UTF8.GetString(after[before.Length..]);
        Assert.EndsWith("\n", added, StringComparison.Ordinal);
        Assert.Single(added.TrimEnd('\n').Split('\n'));
        Assert.Contains("output 51", added, StringComparison.Ordinal);
        Assert.DoesNotContain("output 50", added, StringComparison.Ordinal);
        Assert.Equal(["trajectory.journal.jsonl"], afterFirst);
        Assert.Equal(52, File.ReadAllLines(journal.JournalPath).Length);
        Assert.False(File.Exists(TrajectoryPath));
        Assert.True(TrajectoryFiles.Exists(TrajectoryPath));
        Assert.Equal(Json(trajectory), Json(await TrajectoryFiles.LoadAsync(TrajectoryPath)));
    }

    [Fact]
    public async Task LoadAsync_TornLastLine_KeepsTheCompleteSteps()
    {
        // Arrange
        var journal = new TrajectoryJournal(TrajectoryPath);
        var trajectory = NewTrajectory();
        await journal.AppendAsync(trajectory);
        Step(trajectory, 1);
        Step(trajectory, 2);
        await journal.AppendAsync(trajectory);
        var complete = Json(trajectory);
        var length = new FileInfo(journal.JournalPath).Length;
        Step(trajectory, 3);
        await journal.AppendAsync(trajectory);

        // The kill came in the middle of the last line.
        var bytes = await File.ReadAllBytesAsync(journal.JournalPath);
        await File.WriteAllBytesAsync(journal.JournalPath, bytes[..(int)(length + ((bytes.Length - length) / 2))]);

        // Act
        var loaded = await TrajectoryFiles.LoadAsync(TrajectoryPath);

        // Assert
        Assert.Equal(complete, Json(loaded));
        Assert.Equal(6, loaded.Messages.Count);
        Assert.Equal(2, loaded.Turns);
        Assert.Null(loaded.Exit);
    }

    [Fact]
    public async Task LoadAsync_DamagedCompleteLineOrNoCompleteLine_IsInvalidData()
    {
        // Arrange
        var journal = new TrajectoryJournal(TrajectoryPath);
        var trajectory = NewTrajectory();
        await journal.AppendAsync(trajectory);
        Step(trajectory, 1);
        await journal.AppendAsync(trajectory);
        var lines = await File.ReadAllLinesAsync(journal.JournalPath);

        // Act
        await File.WriteAllTextAsync(journal.JournalPath, lines[0] + "\n{\"messages\": [\n");
        var damaged = await Assert.ThrowsAsync<InvalidDataException>(() => TrajectoryFiles.LoadAsync(TrajectoryPath));
        await File.WriteAllTextAsync(journal.JournalPath, lines[0][..10]);
        var empty = await Assert.ThrowsAsync<InvalidDataException>(() => TrajectoryFiles.LoadAsync(TrajectoryPath));

        // Assert
        Assert.Contains("line 2", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("no complete first line", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_EpisodeEnded_WritesTheWholeFileOnceAndRemovesTheJournal()
    {
        // Arrange
        File.WriteAllText(TrajectoryPath, "{ \"stale\": \"from an earlier run of this attempt\" }");
        var journal = new TrajectoryJournal(TrajectoryPath);
        var trajectory = NewTrajectory();
        await journal.AppendAsync(trajectory);
        var staleRemoved = !File.Exists(TrajectoryPath);
        Step(trajectory, 1);
        await journal.AppendAsync(trajectory);

        // Act
        trajectory.Exit = AgentExit.Submitted;
        trajectory.Submission = "diff --git a/x b/x";
        await journal.AppendAsync(trajectory);

        // Assert
        Assert.True(staleRemoved);
        Assert.False(File.Exists(journal.JournalPath));
        var text = await File.ReadAllTextAsync(TrajectoryPath);
        Assert.Equal(Json(trajectory), text);
        Assert.Equal("submitted", JsonDocument.Parse(text).RootElement.GetProperty("exit").GetString());
        Assert.Equal(Json(trajectory), Json(await TrajectoryFiles.LoadAsync(TrajectoryPath)));
        Assert.Equal(["trajectory.json"], Directory.GetFiles(_output.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AppendAsync_MessagesRemoved_Throws()
    {
        // Arrange
        var journal = new TrajectoryJournal(TrajectoryPath);
        var trajectory = NewTrajectory();
        Step(trajectory, 1);
        await journal.AppendAsync(trajectory);

        // Act
        trajectory.Messages.RemoveAt(trajectory.Messages.Count - 1);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendAsync(trajectory));

        // Assert
        Assert.Contains("only appends", ex.Message, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(journal.JournalPath));
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task LoadAsync_EpisodeKilledAfterTwoTurns_GivesTheCompletedSteps(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "echo one"), Bash(format, "echo two"), Bash(format, "echo three"), Submit(format));
        var (repo, sandbox, context) = await WorkspaceAsync();
        using var _ = repo;
        await using var __ = sandbox;
        using var client = Client(server);
        var journal = new TrajectoryJournal(TrajectoryPath);
        var steps = 0;

        // The process dies right after the step of the second turn is written: nothing after it runs.
        var loop = new AgentLoop(client, ToolSets.Solver(), new AgentOptions { ActionFormat = format })
        {
            OnStep = async (t, ct) =>
            {
                await journal.AppendAsync(t, ct);
                if (++steps == 3)
                {
                    throw new OperationCanceledException("killed");
                }
            },
        };

        // Act
        await Assert.ThrowsAsync<OperationCanceledException>(() => loop.RunAsync("You fix bugs.", "Look around.", context, loop.NewTrajectory("t-1", "solver", server.Model)));
        var loaded = await TrajectoryFiles.LoadAsync(TrajectoryPath);

        // Assert
        Assert.False(File.Exists(TrajectoryPath));
        Assert.Null(loaded.Exit);
        Assert.Equal(2, loaded.Turns);
        Assert.Equal(["system", "user", "assistant", format == ActionFormat.Native ? "tool" : "user", "assistant", format == ActionFormat.Native ? "tool" : "user"], loaded.Messages.Select(m => m.Role));
        Assert.Contains("two", loaded.Messages[^1].Content, StringComparison.Ordinal);
        Assert.All(loaded.Messages.Where(m => m.Role == "assistant"), m => Assert.NotNull(m.Turn));
        Assert.Equal("t-1", loaded.Id);
        Assert.NotNull(loaded.ToolDefinitions);
    }
}
