using Microsoft.Extensions.AI;
using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public class RetryingChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_RateLimitedWithRetryAfter_WaitsThatLongThenSucceeds()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(429, "too many requests", retryAfter: TimeSpan.FromSeconds(7)), ScriptedReply.Text("ok"));
        var options = LlmTest.Options(server, maxRetries: 3);
        var time = new InstantTimeProvider();
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, time, new Random(1));

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.Equal("ok", response.Text);
        Assert.Equal(2, response.GetModelTurn()!.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(7)], time.Delays);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterBeyondMaxBackoff_WaitsMaxBackoff()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(503, "warming up", retryAfter: TimeSpan.FromSeconds(600)), ScriptedReply.Text("ok"));
        var options = LlmTest.Options(server, maxRetries: 1) with { MaxBackoff = TimeSpan.FromSeconds(20) };
        var time = new InstantTimeProvider();
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, time, new Random(1));

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.Equal("ok", response.Text);
        Assert.Equal([TimeSpan.FromSeconds(20)], time.Delays);
    }

    [Fact]
    public async Task GetResponseAsync_RealRetryAfterOneSecond_HonouredOnTheRealClock()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(429, "slow down", retryAfter: TimeSpan.FromSeconds(1)), ScriptedReply.Text("ok"));
        var options = LlmTest.Options(server, maxRetries: 2);
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options);
        var started = TimeProvider.System.GetTimestamp();

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(950));
        Assert.Equal(2, response.GetModelTurn()!.Attempts);
    }

    [Fact]
    public async Task GetResponseAsync_TwoServerErrorsThenSuccess_BacksOffExponentiallyAndCountsThreeAttempts()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500, "boom"), ScriptedReply.Error(502, "bad gateway"), ScriptedReply.ToolCall("bash", """{"command":"ls"}"""));
        var options = LlmTest.Options(server, maxRetries: 4) with { InitialBackoff = TimeSpan.FromSeconds(1) };
        var time = new InstantTimeProvider();
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, time, new Random(7));

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.Equal("bash", Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).Name);
        var turn = response.GetModelTurn()!;
        Assert.Equal(3, turn.Attempts);
        Assert.NotNull(turn.CompletionTokenIds);
        Assert.Equal(2, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), options.MaxBackoff));
        Assert.Equal(3, server.Requests.Count);
    }

    [Theory]
    [InlineData(429, ModelErrorKind.RateLimited)]
    [InlineData(500, ModelErrorKind.ServerError)]
    public async Task GetResponseAsync_RetriesExhausted_ThrowsLastKindWithAttempts(int status, ModelErrorKind kind)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(status, "nope"), ScriptedReply.Error(status, "nope"), ScriptedReply.Error(status, "still nope"), ScriptedReply.Text("never"));
        var options = LlmTest.Options(server, maxRetries: 2);
        var time = new InstantTimeProvider();
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, time, new Random(1));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(3, ex.Attempts);
        Assert.Contains("still nope", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("(gave up after 3 attempts)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, time.Delays.Count);
        Assert.Equal(1, server.Pending);
    }

    [Fact]
    public async Task GetResponseAsync_MalformedEveryTime_ThrowsMalformedResponseAfterRetries()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Malformed(), ScriptedReply.Malformed(), ScriptedReply.Malformed());
        var options = LlmTest.Options(server, maxRetries: 2);
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, new InstantTimeProvider(), new Random(1));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.MalformedResponse, ex.Kind);
        Assert.Equal(3, ex.Attempts);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task GetResponseAsync_DisconnectThenSuccess_RetriesTheCutConnection()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Disconnect(), ScriptedReply.Malformed(), ScriptedReply.Text("ok"));
        var options = LlmTest.Options(server, maxRetries: 3);
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, new InstantTimeProvider(), new Random(1));

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.Equal("ok", response.Text);
        Assert.Equal(3, response.GetModelTurn()!.Attempts);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task GetResponseAsync_SlowThenFast_RetriesTheTimeout()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("late").After(TimeSpan.FromSeconds(5)), ScriptedReply.Text("ok"));
        var options = LlmTest.Options(server, maxRetries: 1) with { RequestTimeout = TimeSpan.FromMilliseconds(300) };
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, new InstantTimeProvider(), new Random(1));

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.Equal("ok", response.Text);
        Assert.Equal(2, response.GetModelTurn()!.Attempts);
    }

    [Fact]
    public async Task GetResponseAsync_NonTransientError_FailsAtOnce()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(400, "prompt too long"), ScriptedReply.Text("never"));
        var options = LlmTest.Options(server, maxRetries: 3);
        var time = new InstantTimeProvider();
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, time, new Random(1));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.BadRequest, ex.Kind);
        Assert.Equal(1, ex.Attempts);
        Assert.DoesNotContain("gave up", ex.Message, StringComparison.Ordinal);
        Assert.Empty(time.Delays);
        Assert.Equal(1, server.Pending);
    }

    [Fact]
    public async Task GetResponseAsync_ZeroRetries_MakesOneRequest()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(500, "boom"), ScriptedReply.Text("never"));
        var options = LlmTest.Options(server, maxRetries: 0);
        using var client = new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, new InstantTimeProvider(), new Random(1));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.ServerError, ex.Kind);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, server.Pending);
    }
}
