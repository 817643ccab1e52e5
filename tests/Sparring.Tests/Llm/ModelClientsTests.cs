using Microsoft.Extensions.AI;
using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public class ModelClientsTests
{
    [Fact]
    public async Task Create_WithRecordPath_RetriesCountsAndRecords()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(429, "busy", TimeSpan.Zero), ScriptedReply.Text("ok"));
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "calls.jsonl");
        using var client = ModelClients.Create(LlmTest.Options(server, maxRetries: 2), path);

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        Assert.Equal("ok", response.Text);
        Assert.Equal(2, response.GetModelTurn()!.Attempts);
        Assert.Equal(1, client.GetService<UsageAccountingChatClient>()!.Usage.Retries);
        Assert.Equal(1, client.GetService<UsageAccountingChatClient>()!.Usage.Calls);
        Assert.NotNull(client.GetService<RetryingChatClient>());
        Assert.Equal(server.Endpoint, client.GetService<ChatClientMetadata>()!.ProviderUri);
        Assert.Contains("\"attempts\":2", Assert.Single(File.ReadAllLines(path)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutRecordPath_HasNoRecorder()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();

        // Act
        using var client = ModelClients.Create(LlmTest.Options(server));

        // Assert
        Assert.Null(client.GetService<RecordingChatClient>());
        Assert.NotNull(client.GetService<OpenAiCompatibleChatClient>());
    }

    [Fact]
    public void Create_InvalidOptions_ThrowsBeforeAnyCall()
    {
        // Arrange
        var options = new ModelClientOptions { Endpoint = new Uri("ftp://example.com/v1"), Model = "m" };

        // Act
        var ex = Assert.Throws<ArgumentException>(() => ModelClients.Create(options));

        // Assert
        Assert.Contains("absolute http(s) URL", ex.Message, StringComparison.Ordinal);
    }
}
