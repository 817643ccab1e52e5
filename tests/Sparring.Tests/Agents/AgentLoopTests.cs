using System.Text.Json;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.TestUtilities;
using static Sparring.Tests.Agents.ScriptedActions;

namespace Sparring.Tests.Agents;

public sealed class AgentLoopTests
{
    private static async Task<(AgentResult Result, Trajectory Saved)> RunAsync(ScriptedModelServer server, AgentOptions options, int maxRetries = 2, TimeSpan? requestTimeout = null)
    {
        var (repo, sandbox, context) = await WorkspaceAsync();
        using var _ = repo;
        await using var __ = sandbox;
        using var output = new TempDirectory();
        var path = Path.Combine(output.Path, "trajectory.json");
        using var client = Client(server, maxRetries, requestTimeout);
        var loop = new AgentLoop(client, ToolSets.Solver(), options) { OnStep = new TrajectoryJournal(path).AppendAsync };
        var result = await loop.RunAsync("You fix bugs.", "Make greet return 'hello'.", context, loop.NewTrajectory("t-1", "solver", server.Model));
        return (result, await TrajectoryFiles.LoadAsync(path));
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_CommandThenSubmit_SubmitsTheDiffAndRecordsTokenDataForEveryTurn(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "sed -i s/hi/hello/ hello.py && cat hello.py"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format });

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        Assert.Contains("+    return 'hello'", result.Submission, StringComparison.Ordinal);
        Assert.Equal(AgentExit.Submitted, saved.Exit);
        Assert.Equal(2, saved.Turns);
        var assistant = saved.Messages.Where(m => m.Role == "assistant").ToList();
        Assert.Equal(2, assistant.Count);
        Assert.All(assistant, m =>
        {
            Assert.NotNull(m.Turn);
            Assert.NotEmpty(m.Turn!.CompletionTokenIds!);
            Assert.NotEmpty(m.Turn.PromptTokenIds!);
            Assert.Equal(m.Turn.CompletionTokenIds!.Count, m.Turn.Logprobs!.Count);
            Assert.Null(m.FormatError);
        });
        var observation = Assert.Single(saved.Messages, m => m.ToolName == "bash");
        Assert.Contains("return 'hello'", observation.Content, StringComparison.Ordinal);
        Assert.Equal(format == ActionFormat.Native ? "tool" : "user", observation.Role);
        Assert.True(saved.PromptTokens > 0 && saved.CompletionTokens > 0);

        // The second request carried the observation, in the format's own shape.
        var second = server.Requests[1].RootElement;
        var messages = second.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(messages, m => m.GetProperty("content").ValueKind == JsonValueKind.String && m.GetProperty("content").GetString()!.Contains("return 'hello'", StringComparison.Ordinal));
        Assert.Equal(format == ActionFormat.Native, second.TryGetProperty("tools", out _));
        if (format == ActionFormat.Text)
        {
            Assert.Contains("<tool: NAME>", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_Hints_EveryObservationEndsWithTheBudgetsLeftAndTheTestCommand(ActionFormat format)
    {
        // Arrange: two commands, then submit; usage per call is what the scripted server reports.
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "echo one"), Bash(format, "echo two"), Submit(format));

        // Act
        var (_, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format, Hints = true, TestCommand = "python3 -m pytest -rA", MaxTurns = 10, MaxTokens = 100_000 });
        await using var other = await ScriptedModelServer.StartAsync();
        other.Enqueue(Bash(format, "echo one"), Submit(format));
        var (_, plain) = await RunAsync(other, new AgentOptions { ActionFormat = format });

        // Assert: the hint counts turns and tokens from the trajectory as it stood after each call.
        var observations = saved.Messages.Where(m => m.ToolName == "bash").ToList();
        Assert.Equal(2, observations.Count);
        var assistant = saved.Messages.Where(m => m.Role == "assistant").ToList();
        for (var i = 0; i < 2; i++)
        {
            var used = assistant.Take(i + 1).Sum(m => (long)m.Turn!.PromptTokens!.Value + m.Turn.CompletionTokens!.Value);
            Assert.Contains($"[environment: {10 - (i + 1)} of 10 turns left, {100_000 - used} tokens left, ", observations[i].Content, StringComparison.Ordinal);
            Assert.Contains(" min left; run the tests with: python3 -m pytest -rA]", observations[i].Content, StringComparison.Ordinal);
        }

        Assert.StartsWith(format == ActionFormat.Native ? "one" : "<output tool=\"bash\">\none", observations[0].Content, StringComparison.Ordinal);
        Assert.All(plain.Messages.Where(m => m.ToolName == "bash"), m => Assert.DoesNotContain("[environment:", m.Content, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_UnknownToolThenSubmit_ReportsTheErrorToTheModelAndRecovers(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Unknown(format), Bash(format, "echo x >> hello.py"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format });

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        Assert.Equal(1, saved.FormatErrors);
        var first = saved.Messages.First(m => m.Role == "assistant");
        Assert.Contains("unknown tool 'teleport'", first.FormatError, StringComparison.Ordinal);
        var feedback = saved.Messages[saved.Messages.IndexOf(first) + 1];
        Assert.True(feedback.IsError);
        Assert.Contains("submit", feedback.Content, StringComparison.Ordinal);
        Assert.Contains("unknown tool", server.Requests[1].RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_RepeatedMessagesWithoutAction_EndsWithFormatErrors(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("I think"), ScriptedReply.Text("Still thinking"), ScriptedReply.Text("<tool: bash>\nls"));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format, MaxConsecutiveFormatErrors = 3 });

        // Assert
        Assert.Equal(AgentExit.RepeatedFormatErrors, result.Exit);
        Assert.Equal(3, saved.FormatErrors);
        Assert.Equal(3, saved.Turns);
        Assert.NotNull(saved.ExitDetail);
        Assert.All(saved.Messages.Where(m => m.Role == "assistant"), m => Assert.NotNull(m.FormatError));
        Assert.Equal(0, server.Pending);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_TurnBudgetReached_EndsWithTurnLimitWithoutAskingAgain(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "true"), Bash(format, "true"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format, MaxTurns = 2 });

        // Assert
        Assert.Equal(AgentExit.TurnLimit, result.Exit);
        Assert.Equal(2, saved.Turns);
        Assert.Equal(1, server.Pending);
        Assert.Null(saved.Submission);
    }

    [Fact]
    public async Task RunAsync_TokenBudgetReached_EndsWithTokenLimit()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Native, "true"), Submit(ActionFormat.Native));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { MaxTokens = 10 });

        // Assert
        Assert.Equal(AgentExit.TokenLimit, result.Exit);
        Assert.Equal(1, saved.Turns);
        Assert.Contains("tokens used of 10", saved.ExitDetail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_RateLimitedOnceThenAnswered_RecoversAndRecordsTheRetry(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(429, "slow down", TimeSpan.FromSeconds(1)), Bash(format, "echo '# w' >> hello.py"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format });

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        Assert.Equal(2, saved.Messages.First(m => m.Role == "assistant").Turn!.Attempts);
        Assert.Equal(3, server.Requests.Count);
        Assert.InRange(saved.Messages.First(m => m.Role == "assistant").AtMs, 900, 30_000);
    }

    [Fact]
    public async Task RunAsync_ServerErrorsExhaustRetries_EndsWithModelErrorRecordedInTheTrajectory()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500, "boom"), ScriptedReply.Error(500, "boom"), ScriptedReply.Error(500, "boom"));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions(), maxRetries: 2);

        // Assert
        Assert.Equal(AgentExit.ModelError, result.Exit);
        Assert.Equal(AgentExit.ModelError, saved.Exit);
        Assert.StartsWith("ServerError", saved.ExitDetail, StringComparison.Ordinal);
        Assert.Equal(0, saved.Turns);
        Assert.Equal(3, server.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_MalformedAnswerThenGoodOne_Recovers(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Malformed(), Bash(format, "echo '# x' >> hello.py"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format });

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        Assert.Equal(2, saved.Messages.First(m => m.Role == "assistant").Turn!.Attempts);
    }

    [Fact]
    public async Task RunAsync_MalformedAnswerWithoutRetries_EndsWithModelError()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Malformed());

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions(), maxRetries: 0);

        // Assert
        Assert.Equal(AgentExit.ModelError, result.Exit);
        Assert.StartsWith("MalformedResponse", saved.ExitDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AnswerSlowerThanTheWallClock_EndsWithWallClock()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Submit(ActionFormat.Native).After(TimeSpan.FromSeconds(5)));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { WallClock = TimeSpan.FromSeconds(1) });

        // Assert
        Assert.Equal(AgentExit.WallClock, result.Exit);
        Assert.Equal(AgentExit.WallClock, saved.Exit);
        Assert.InRange(saved.DurationMs, 900, 4900);
    }

    [Fact]
    public async Task RunAsync_InvalidArgumentsJson_IsAFormatErrorTheModelSees()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", "{\"command\": "), Bash(ActionFormat.Native, "echo '# y' >> hello.py"), Submit(ActionFormat.Native));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions());

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        Assert.Equal(1, saved.FormatErrors);
        var error = saved.Messages.First(m => m.Role == "tool");
        Assert.True(error.IsError);
        Assert.Contains("not a valid JSON object", error.Content, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_MoreObservationsThanKept_FoldsOldOnesInTheRequestOnly(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "printf 'first-%s' output"), Bash(format, "printf 'second-%s' output"), Bash(format, "echo '# z' >> hello.py"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format, KeepObservations = 1 });

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        var third = server.Requests[2].RootElement.GetRawText();
        Assert.DoesNotContain("first-output", third, StringComparison.Ordinal);
        Assert.Contains("second-output", third, StringComparison.Ordinal);
        Assert.Contains("[Old output folded", third, StringComparison.Ordinal);
        Assert.Contains(saved.Messages, m => m.Content.Contains("first-output", StringComparison.Ordinal) && m.ToolName == "bash");
    }

    [Theory]
    [MemberData(nameof(Formats), MemberType = typeof(ScriptedActions))]
    public async Task RunAsync_EachRequest_IsTheTrajectorySoFar(ActionFormat format)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "echo one"), Unknown(format), Bash(format, "echo '# z' >> hello.py"), Submit(format));

        // Act
        var (result, saved) = await RunAsync(server, new AgentOptions { ActionFormat = format });

        // Assert
        Assert.Equal(AgentExit.Submitted, result.Exit);
        var sent = server.Requests[3].RootElement.GetProperty("messages").EnumerateArray().ToList();
        var recorded = saved.Messages.Take(sent.Count).ToList();
        Assert.Equal(saved.Messages.Count - 1, sent.Count);
        Assert.Equal(recorded.Select(m => m.Role), sent.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(recorded.Select(m => m.Content), sent.Select(m => m.GetProperty("content").GetString() ?? ""));
        var calls = sent.Where(m => m.TryGetProperty("tool_calls", out _)).SelectMany(m => m.GetProperty("tool_calls").EnumerateArray()).ToList();
        var recordedCalls = recorded.SelectMany(m => m.ToolCalls ?? []).ToList();
        Assert.Equal(format == ActionFormat.Native ? 3 : 0, calls.Count);
        Assert.Equal(recordedCalls.Select(c => c.Id), calls.Select(c => c.GetProperty("id").GetString()));
        Assert.All(calls.Zip(recordedCalls), p => Assert.True(
            JsonElement.DeepEquals(JsonDocument.Parse(p.First.GetProperty("function").GetProperty("arguments").GetString()!).RootElement, JsonDocument.Parse(p.Second.Arguments).RootElement),
            p.Second.Arguments));
    }
}
