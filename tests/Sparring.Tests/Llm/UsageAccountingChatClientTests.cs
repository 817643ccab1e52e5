using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public class UsageAccountingChatClientTests
{
    [Fact]
    public async Task Usage_CallsRetriesAndFailures_AddsTokensTimeAndRetries()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(
            ScriptedReply.Text("first"),
            ScriptedReply.Error(500, "boom"),
            ScriptedReply.ToolCall("bash", """{"command":"ls"}"""),
            ScriptedReply.Error(400, "refused"));
        var options = LlmTest.Options(server, maxRetries: 2);
        using var client = new UsageAccountingChatClient(new RetryingChatClient(new OpenAiCompatibleChatClient(options), options, new InstantTimeProvider(), new Random(1)));

        // Act
        var first = await client.GetResponseAsync(LlmTest.Prompt());
        var second = await client.GetResponseAsync(LlmTest.Prompt());
        await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));
        var usage = client.Usage;

        // Assert
        Assert.Equal(2, usage.Calls);
        Assert.Equal(1, usage.FailedCalls);
        Assert.Equal(1, usage.Retries);
        Assert.Equal((long)(first.GetModelTurn()!.PromptTokens!.Value + second.GetModelTurn()!.PromptTokens!.Value), usage.PromptTokens);
        Assert.Equal((long)(first.GetModelTurn()!.CompletionTokens!.Value + second.GetModelTurn()!.CompletionTokens!.Value), usage.CompletionTokens);
        Assert.Equal(usage.PromptTokens + usage.CompletionTokens, usage.TotalTokens);
        Assert.True(usage.Latency > TimeSpan.Zero);
    }

    [Fact]
    public async Task Usage_ConcurrentCalls_CountsEveryCall()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Enumerable.Range(0, 16).Select(i => ScriptedReply.Text("abcd")).ToArray());
        using var client = new UsageAccountingChatClient(new OpenAiCompatibleChatClient(LlmTest.Options(server)));

        // Act
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetResponseAsync(LlmTest.Prompt())));

        // Assert
        Assert.Equal(16, client.Usage.Calls);
        Assert.Equal(16, client.Usage.CompletionTokens);
        Assert.Equal(0, client.Usage.Retries);
    }
}
