using Microsoft.Extensions.AI;
using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public class ReplayChatClientTests
{
    /// <summary>An episode-like run: tool call, observation, invalid-arguments tool call, observation, text.</summary>
    private static async Task<List<ChatResponse>> RunEpisodeAsync(IChatClient client)
    {
        var options = new ChatOptions { Temperature = 1, Tools = [LlmTest.Bash], ToolMode = ChatToolMode.Auto };
        var history = LlmTest.Prompt();
        var responses = new List<ChatResponse>();
        for (var turn = 0; turn < 3; turn++)
        {
            var response = await client.GetResponseAsync(history, options);
            responses.Add(response);
            history.AddRange(response.Messages);
            foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
            {
                history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, $"output of turn {turn}")]));
            }
        }

        return responses;
    }

    private static ScriptedReply[] Script() =>
    [
        ScriptedReply.ToolCall("bash", """{"command":"ls"}""", content: "Let me look."),
        ScriptedReply.ToolCall("bash", """{"command": oops"""),
        ScriptedReply.Text("I fixed it."),
    ];

    [Fact]
    public async Task GetResponseAsync_RecordedEpisodeAfterServerStopped_ReturnsIdenticalResponsesAndTurns()
    {
        // Arrange
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "episode.jsonl");
        List<ChatResponse> recorded;
        await using (var server = await ScriptedModelServer.StartAsync())
        {
            server.Enqueue(Script());
            using var recorder = ModelClients.Create(LlmTest.Options(server), path);
            recorded = await RunEpisodeAsync(recorder);
        }

        using var replay = await ReplayChatClient.LoadAsync(path, CancellationToken.None);

        // Act
        var replayed = await RunEpisodeAsync(replay);

        // Assert
        Assert.Equal(3, replay.Count);
        Assert.Equal(3, replay.Position);
        Assert.Equal(recorded.Select(LlmTest.Snapshot), replayed.Select(LlmTest.Snapshot));
        for (var i = 0; i < 3; i++)
        {
            var (expected, actual) = (recorded[i].GetModelTurn()!, replayed[i].GetModelTurn()!);
            Assert.Equal(expected.CompletionTokenIds, actual.CompletionTokenIds);
            Assert.Equal(expected.PromptTokenIds, actual.PromptTokenIds);
            Assert.Equal(expected.Logprobs, actual.Logprobs);
            Assert.Equal(expected.LatencyMs, actual.LatencyMs);
            Assert.Equal(expected with { CompletionTokenIds = null, PromptTokenIds = null, Logprobs = null }, actual with { CompletionTokenIds = null, PromptTokenIds = null, Logprobs = null });
        }

        var invalid = Assert.Single(replayed[1].Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("""{"command": oops""", invalid.Arguments![OpenAiCompatibleChatClient.RawArgumentsKey]?.ToString());
        Assert.Equal("I fixed it.", replayed[2].Text);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentRequest_ThrowsReplayMismatchNamingTheCall()
    {
        // Arrange
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "episode.jsonl");
        await using (var server = await ScriptedModelServer.StartAsync())
        {
            server.Enqueue(Script());
            using var recorder = ModelClients.Create(LlmTest.Options(server), path);
            await RunEpisodeAsync(recorder);
        }

        using var replay = await ReplayChatClient.LoadAsync(path, CancellationToken.None);
        var history = LlmTest.Prompt();
        var first = await replay.GetResponseAsync(history);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_0_0", "a different observation")]));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => replay.GetResponseAsync(history));

        // Assert
        Assert.Equal(ModelErrorKind.ReplayMismatch, ex.Kind);
        Assert.StartsWith($"replay call 1: the request differs from the one in {path}: message 3 differs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a different observation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_MoreCallsThanRecorded_ThrowsReplayMismatch()
    {
        // Arrange
        var call = new RecordedCall
        {
            Index = 0,
            Request = RecordedRequest.From(LlmTest.Prompt(), null),
            Response = RecordedResponse.From(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")) { FinishReason = ChatFinishReason.Stop }),
        };
        using var replay = new ReplayChatClient([call]);

        // Act
        var first = await replay.GetResponseAsync(LlmTest.Prompt());
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => replay.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal("hi", first.Text);
        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
        Assert.Equal(ModelErrorKind.ReplayMismatch, ex.Kind);
        Assert.Equal("replay call 1: the recording holds only 1 calls; the run made more calls than the recorded one", ex.Message);
    }

    [Fact]
    public async Task GetResponseAsync_RecordedFailure_RethrowsItWithKindAndAttempts()
    {
        // Arrange
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "episode.jsonl");
        string message;
        await using (var server = await ScriptedModelServer.StartAsync())
        {
            server.Enqueue(ScriptedReply.Error(500, "boom"), ScriptedReply.Error(500, "boom again"));
            var options = LlmTest.Options(server, maxRetries: 1) with { InitialBackoff = TimeSpan.Zero };
            using var recorder = ModelClients.Create(options, path);
            message = (await Assert.ThrowsAsync<ModelServerException>(() => recorder.GetResponseAsync(LlmTest.Prompt()))).Message;
        }

        using var replay = await ReplayChatClient.LoadAsync(path, CancellationToken.None);

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => replay.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.ServerError, ex.Kind);
        Assert.Equal(message, ex.Message);
        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(2, ex.Attempts);
    }

    [Fact]
    public async Task LoadAsync_LineThatIsNotACall_ThrowsNamingTheLine()
    {
        // Arrange
        using var directory = new TempDirectory();
        var path = directory.Write("bad.jsonl", "\n{\"index\": 0\n");

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => ReplayChatClient.LoadAsync(path, CancellationToken.None));

        // Assert
        Assert.Equal(ModelErrorKind.ReplayMismatch, ex.Kind);
        Assert.StartsWith($"{path}:2 is not a recorded call", ex.Message, StringComparison.Ordinal);
    }
}
