using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public class RecordingChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_TwoCalls_AppendsOneFlushedJsonLinePerCall()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", """{"command":"ls"}"""), ScriptedReply.Text("done"));
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "nested", "calls.jsonl");
        using var client = new RecordingChatClient(new OpenAiCompatibleChatClient(LlmTest.Options(server)), path);
        var options = new ChatOptions { Temperature = 1, Seed = 3, Tools = [LlmTest.Bash], ToolMode = ChatToolMode.Auto };
        var history = LlmTest.Prompt();

        // Act
        var first = await client.GetResponseAsync(history, options);
        var linesAfterFirst = File.ReadAllLines(path);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_0_0", "README.md")]));
        await client.GetResponseAsync(history, options);

        // Assert
        Assert.Single(linesAfterFirst);
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Equal(2, client.Count);
        var call = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal(1, call.GetProperty("index").GetInt32());
        Assert.Equal(4, call.GetProperty("request").GetProperty("messages").GetArrayLength());
        Assert.Equal(3, call.GetProperty("request").GetProperty("options").GetProperty("seed").GetInt64());
        Assert.Equal("bash", call.GetProperty("request").GetProperty("options").GetProperty("tools")[0].GetString());
        Assert.Equal("auto", call.GetProperty("request").GetProperty("options").GetProperty("toolMode").GetString());
        var response = call.GetProperty("response");
        Assert.Equal("stop", response.GetProperty("finishReason").GetString());
        Assert.Equal("done", response.GetProperty("messages")[0].GetProperty("contents")[0].GetProperty("text").GetString());
        Assert.True(response.GetProperty("turn").GetProperty("completionTokenIds").GetArrayLength() > 0);
        Assert.True(response.GetProperty("usage").GetProperty("inputTokenCount").GetInt64() > 0);
        Assert.False(call.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task GetResponseAsync_ModelError_RecordsTheErrorAndRethrows()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Error(400, "prompt too long"));
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "calls.jsonl");
        using var client = new RecordingChatClient(new OpenAiCompatibleChatClient(LlmTest.Options(server)), path);

        // Act
        var ex = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync(LlmTest.Prompt()));

        // Assert
        var error = JsonDocument.Parse(Assert.Single(File.ReadAllLines(path))).RootElement.GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("kind").GetString());
        Assert.Equal(ex.Message, error.GetProperty("message").GetString());
        Assert.Equal(400, error.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task GetResponseAsync_ExistingFile_AppendsAfterItsLines()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("one"), ScriptedReply.Text("two"));
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "calls.jsonl");
        using (var earlier = new RecordingChatClient(new OpenAiCompatibleChatClient(LlmTest.Options(server)), path))
        {
            await earlier.GetResponseAsync(LlmTest.Prompt());
        }

        using var client = new RecordingChatClient(new OpenAiCompatibleChatClient(LlmTest.Options(server)), path);

        // Act
        await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"one\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"two\"", lines[1], StringComparison.Ordinal);
    }
}
