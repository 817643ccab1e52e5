using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

/// <summary>How failures become <see cref="ModelServerException"/> kinds and messages.</summary>
public partial class OpenAiCompatibleChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_UnknownModel_ThrowsModelNotFoundListingServedModels()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync("qwen3-8b");
        server.Enqueue(ScriptedReply.Text("unused"));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server) with { Model = "llama-70b" });

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.ModelNotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal($"model 'llama-70b' is not served at {server.Endpoint}; served: qwen3-8b", ex.Message);
        Assert.False(ex.IsTransient);
        Assert.Equal(1, server.Pending);
    }

    [Fact]
    public async Task GetResponseAsync_NothingListening_ThrowsUnreachableNamingTheUrl()
    {
        // Arrange
        var endpoint = new Uri($"http://127.0.0.1:{LlmTest.FreePort()}/v1");
        using var client = new OpenAiCompatibleChatClient(new ModelClientOptions { Endpoint = endpoint, Model = "m", MaxRetries = 0 });

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.Unreachable, ex.Kind);
        Assert.StartsWith($"no model server at {endpoint}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is vLLM running? check --model-url", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
        Assert.False(ex.IsTransient);
    }

    [Theory]
    [InlineData(400, "This model's maximum context length is 4096 tokens.", ModelErrorKind.BadRequest)]
    [InlineData(401, "Invalid API key", ModelErrorKind.Unauthorized)]
    [InlineData(403, "Forbidden", ModelErrorKind.Unauthorized)]
    [InlineData(422, "field required", ModelErrorKind.BadRequest)]
    [InlineData(429, "slow down", ModelErrorKind.RateLimited)]
    [InlineData(500, "CUDA out of memory", ModelErrorKind.ServerError)]
    [InlineData(503, "loading", ModelErrorKind.ServerError)]
    public async Task GetResponseAsync_ErrorStatus_ThrowsKindWithServerMessage(int status, string message, ModelErrorKind kind)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(status, message));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("{\"error\":", ex.ResponseBody, StringComparison.Ordinal);
        Assert.Equal(status is 429 or >= 500, ex.IsTransient);
    }

    [Fact]
    public async Task GetResponseAsync_BadRequestNamingTheServedModel_ThrowsBadRequestNotModelNotFound()
    {
        // Arrange: a 400 that mentions the model is only "not found" when /models does not list it.
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(400, "scripted-model: this model's maximum context length is 4096 tokens"));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.BadRequest, ex.Kind);
        Assert.Contains("rejected the request (400): scripted-model: this model's maximum context length", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task GetResponseAsync_SlowerThanRequestTimeout_ThrowsTimeout()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("late").After(TimeSpan.FromSeconds(5)));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server) with { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.Timeout, ex.Kind);
        Assert.Contains("did not answer within 0.3 s", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("late").After(TimeSpan.FromSeconds(5)));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // Act + Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(LlmTest.Prompt(), cancellationToken: cancellation.Token));
    }

    [Theory]
    [InlineData("{\"choices\": [")]
    [InlineData("{\"choices\": []}")]
    [InlineData("[1, 2]")]
    [InlineData("<html>bad gateway</html>")]
    public async Task GetResponseAsync_MalformedBody_ThrowsMalformedResponseQuotingTheBody(string body)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Malformed(body));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.MalformedResponse, ex.Kind);
        Assert.Equal(200, ex.StatusCode);
        Assert.Contains("not a chat completion", ex.Message, StringComparison.Ordinal);
        Assert.Contains(body, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task GetResponseAsync_ConnectionCut_ThrowsMalformedResponse()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Disconnect());
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        Assert.Equal(ModelErrorKind.MalformedResponse, ex.Kind);
        Assert.Contains("was cut", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
        Assert.Equal(0, server.Pending);
        Assert.Single(server.Requests);
    }
}
