using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public partial class OpenAiCompatibleChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_ToolCallRoundTrip_SendsOpenAiWireFormatBothWays()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", """{"command":"ls -la"}""", content: "Looking around."), ScriptedReply.Text("done"));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server) with { TopLogprobs = 2 });
        var options = new ChatOptions
        {
            Temperature = 0.7f,
            TopP = 0.9f,
            TopK = 20,
            MaxOutputTokens = 256,
            Seed = 42,
            StopSequences = ["</tool>"],
            Tools = [LlmTest.Bash],
            ToolMode = ChatToolMode.Auto,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["repetition_penalty"] = 1.05, ["chat_template_kwargs"] = new Dictionary<string, object?> { ["enable_thinking"] = false } },
        };
        var history = LlmTest.Prompt();

        // Act
        var first = await client.GetResponseAsync(history, options);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "total 0")]));
        var second = await client.GetResponseAsync(history, options);

        // Assert: the response.
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("Looking around.", first.Text);
        Assert.Equal("bash", call.Name);
        Assert.Equal("call_0_0", call.CallId);
        Assert.Null(call.Exception);
        Assert.Equal("ls -la", Assert.IsType<JsonElement>(call.Arguments!["command"]).GetString());
        Assert.Equal("scripted-model", first.ModelId);
        Assert.Equal("chatcmpl-scripted-0", first.ResponseId);
        Assert.Equal(ChatRole.Assistant, Assert.Single(first.Messages).Role);
        Assert.Equal("done", second.Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Contains("\"chat.completion\"", first.GetRawJson(), StringComparison.Ordinal);

        // Assert: the first request.
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        var body = requests[0].RootElement;
        Assert.Equal("scripted-model", body.GetProperty("model").GetString());
        Assert.Equal(0.7, body.GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble(), 5);
        Assert.Equal(20, body.GetProperty("top_k").GetInt32());
        Assert.Equal(256, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(42, body.GetProperty("seed").GetInt64());
        Assert.Equal("</tool>", Assert.Single(body.GetProperty("stop").EnumerateArray()).GetString());
        Assert.True(body.GetProperty("logprobs").GetBoolean());
        Assert.Equal(2, body.GetProperty("top_logprobs").GetInt32());
        Assert.True(body.GetProperty("return_token_ids").GetBoolean());
        Assert.Equal(1.05, body.GetProperty("repetition_penalty").GetDouble(), 5);
        Assert.False(body.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
        Assert.Equal("auto", body.GetProperty("tool_choice").GetString());
        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("bash", tool.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("Run a shell command.", tool.GetProperty("function").GetProperty("description").GetString());
        Assert.Equal("string", tool.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("command").GetProperty("type").GetString());
        Assert.Equal(["system", "user"], body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));

        // Assert: the second request carries the assistant tool call and the tool result.
        var messages = requests[1].RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user", "assistant", "tool"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Looking around.", messages[2].GetProperty("content").GetString());
        var sent = Assert.Single(messages[2].GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_0_0", sent.GetProperty("id").GetString());
        Assert.Equal("function", sent.GetProperty("type").GetString());
        Assert.Equal("bash", sent.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("ls -la", JsonDocument.Parse(sent.GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("command").GetString());
        Assert.Equal("call_0_0", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("total 0", messages[3].GetProperty("content").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_ToolModes_SendsNoneRequiredAndNamedFunction()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("a"), ScriptedReply.Text("b"), ScriptedReply.Text("c"), ScriptedReply.Text("d"));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server) with { RequestLogprobs = false, RequestTokenIds = false });

        // Act
        await client.GetResponseAsync(LlmTest.Prompt(), new ChatOptions { Tools = [LlmTest.Bash], ToolMode = ChatToolMode.None });
        await client.GetResponseAsync(LlmTest.Prompt(), new ChatOptions { Tools = [LlmTest.Bash], ToolMode = ChatToolMode.RequireAny });
        await client.GetResponseAsync(LlmTest.Prompt(), new ChatOptions { Tools = [LlmTest.Bash], ToolMode = ChatToolMode.RequireSpecific("bash") });
        var plain = await client.GetResponseAsync(LlmTest.Prompt(), new ChatOptions { ModelId = "scripted-model" });

        // Assert
        var bodies = server.Requests.Select(r => r.RootElement).ToList();
        Assert.Equal("none", bodies[0].GetProperty("tool_choice").GetString());
        Assert.Equal("required", bodies[1].GetProperty("tool_choice").GetString());
        Assert.Equal("bash", bodies[2].GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(bodies[3].TryGetProperty("tool_choice", out _));
        Assert.False(bodies[3].TryGetProperty("tools", out _));
        Assert.False(bodies[3].TryGetProperty("logprobs", out _));
        Assert.False(bodies[3].TryGetProperty("return_token_ids", out _));
        var turn = plain.GetModelTurn()!;
        Assert.Null(turn.PromptTokenIds);
        Assert.Null(turn.CompletionTokenIds);
        Assert.Null(turn.Logprobs);
        Assert.True(turn.PromptTokens > 0);
    }

    [Fact]
    public async Task GetResponseAsync_TokenIdsRequested_ModelTurnHasIdsAndLogprobsOfEqualLength()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("The answer is 42, clearly."));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt());

        // Assert
        var turn = response.GetModelTurn();
        Assert.NotNull(turn);
        Assert.NotNull(turn.PromptTokenIds);
        Assert.NotNull(turn.CompletionTokenIds);
        Assert.NotNull(turn.Logprobs);
        Assert.Equal(7, turn.CompletionTokenIds.Count); // 26 characters in chunks of 4
        Assert.Equal(turn.CompletionTokenIds.Count, turn.Logprobs.Count);
        Assert.Equal(turn.CompletionTokenIds, turn.Logprobs.Select(l => l.TokenId!.Value));
        Assert.Equal("The answer is 42, clearly.", string.Concat(turn.Logprobs.Select(l => l.Token)));
        Assert.All(turn.Logprobs, l => Assert.InRange(l.Logprob, -5.0, -0.001));
        Assert.Equal(turn.PromptTokenIds.Count, turn.PromptTokens);
        Assert.Equal(turn.CompletionTokenIds.Count, turn.CompletionTokens);
        Assert.Equal(turn.PromptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(turn.PromptTokens + turn.CompletionTokens, response.Usage.TotalTokenCount);
        Assert.Equal("stop", turn.FinishReason);
        Assert.Equal("scripted-model", turn.Model);
        Assert.Equal(1, turn.Attempts);
        Assert.True(turn.LatencyMs > 0);
    }

    [Fact]
    public async Task GetResponseAsync_TokensAsTokenIdsWithoutTokenIdArray_ParsesIdsFromLogprobTokens()
    {
        // Arrange: vLLM's --return-tokens-as-token-ids prints tokens as "token_id:N"; no token_ids array is asked for.
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", """{"command":"pwd"}"""));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server) with { RequestTokenIds = false });
        var options = new ChatOptions { AdditionalProperties = new AdditionalPropertiesDictionary { ["return_tokens_as_token_ids"] = true } };

        // Act
        var response = await client.GetResponseAsync(LlmTest.Prompt(), options);

        // Assert
        var turn = response.GetModelTurn()!;
        Assert.Null(turn.PromptTokenIds);
        Assert.NotNull(turn.Logprobs);
        Assert.All(turn.Logprobs, l => Assert.StartsWith("token_id:", l.Token, StringComparison.Ordinal));
        Assert.Equal(turn.Logprobs.Select(l => int.Parse(l.Token["token_id:".Length..], System.Globalization.CultureInfo.InvariantCulture)), turn.CompletionTokenIds);
        Assert.Equal(turn.CompletionTokens, turn.CompletionTokenIds!.Count);
        Assert.False(server.Requests[0].RootElement.TryGetProperty("return_token_ids", out _));
    }

    [Theory]
    [InlineData("{\"command\": ")]
    [InlineData("[\"ls\"]")]
    public async Task GetResponseAsync_InvalidToolArgumentsJson_SurfacesRawTextInsteadOfThrowing(string arguments)
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", arguments), ScriptedReply.Text("ok"));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));
        var history = LlmTest.Prompt();

        // Act
        var response = await client.GetResponseAsync(history);
        history.AddRange(response.Messages);
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_0_0", "invalid arguments")]));
        await client.GetResponseAsync(history);

        // Assert: the raw text is kept and sent back verbatim, so the prompt matches what the model wrote.
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("bash", call.Name);
        Assert.Equal(arguments, call.Arguments![OpenAiCompatibleChatClient.RawArgumentsKey]);
        Assert.IsType<JsonException>(call.Exception);
        Assert.Contains("bash", call.Exception.Message, StringComparison.Ordinal);
        var sent = server.Requests[1].RootElement.GetProperty("messages")[2].GetProperty("tool_calls")[0].GetProperty("function");
        Assert.Equal(arguments, sent.GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AnyReply_YieldsTheWholeResponseWithModelTurn()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", """{"command":"ls"}""", content: "Listing."));
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(LlmTest.Prompt()))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();

        // Assert
        Assert.Equal("Listing.", response.Text);
        Assert.Equal("bash", Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).Name);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.NotNull(response.GetModelTurn()?.CompletionTokenIds);
        Assert.False(server.Requests[0].RootElement.TryGetProperty("stream", out _));
    }

    [Fact]
    public async Task GetService_Metadata_NamesEndpointAndModel()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        using var client = new OpenAiCompatibleChatClient(LlmTest.Options(server));

        // Act
        var metadata = client.GetService<ChatClientMetadata>();
        var served = await client.ServedModelsAsync();

        // Assert
        Assert.Equal(server.Endpoint, metadata?.ProviderUri);
        Assert.Equal("scripted-model", metadata?.DefaultModelId);
        Assert.Same(client, client.GetService<OpenAiCompatibleChatClient>());
        Assert.Equal(["scripted-model"], served);
    }
}
