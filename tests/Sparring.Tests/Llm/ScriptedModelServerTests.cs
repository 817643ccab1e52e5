using System.Net;
using System.Text;
using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

public class ScriptedModelServerTests
{
    private static StringContent Body(string model, bool extras = true) => new(
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello there"}]{{(extras ? ",\"logprobs\":true,\"return_token_ids\":true" : "")}}}""",
        Encoding.UTF8,
        "application/json");

    [Fact]
    public async Task StartAsync_Models_ListsTheModelOnLoopback()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync("m1");
        using var http = new HttpClient();

        // Act
        var models = JsonDocument.Parse(await http.GetStringAsync(new Uri(server.Endpoint + "/models"))).RootElement;

        // Assert
        Assert.Equal("127.0.0.1", server.Endpoint.Host);
        Assert.Equal("/v1", server.Endpoint.AbsolutePath);
        Assert.Equal("m1", server.Model);
        Assert.Equal("m1", Assert.Single(models.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task ChatCompletions_KeepRequestsOff_AnswersInOrderAndKeepsNoBody()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.KeepRequests = false;
        server.Enqueue(ScriptedReply.Text("one"), ScriptedReply.Text("two"));
        using var http = new HttpClient();
        var url = new Uri(server.Endpoint + "/chat/completions");

        // Act
        using var first = await http.PostAsync(url, Body("scripted-model"));
        using var second = await http.PostAsync(url, Body("scripted-model"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("one", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("two", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task ChatCompletions_WrongModelThenEmptyQueue_404WithoutConsumingThen500()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("one"));
        using var http = new HttpClient();
        var url = new Uri(server.Endpoint + "/chat/completions");

        // Act
        using var wrong = await http.PostAsync(url, Body("x"));
        var pendingAfterWrong = server.Pending;
        using var ok = await http.PostAsync(url, Body("scripted-model"));
        using var empty = await http.PostAsync(url, Body("scripted-model"));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        var error = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("The model `x` does not exist.", error.GetProperty("message").GetString());
        Assert.Equal("NotFoundError", error.GetProperty("type").GetString());
        Assert.Equal(404, error.GetProperty("code").GetInt32());
        Assert.Equal(1, pendingAfterWrong);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, empty.StatusCode);
        Assert.Contains("scripted server: no reply left", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task ChatCompletions_SameRequestTwice_DeterministicTokensConsistentWithUsage()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", """{"command":"ls"}""", "Hi"), ScriptedReply.ToolCall("bash", """{"command":"ls"}""", "Hi"));
        using var http = new HttpClient();
        var url = new Uri(server.Endpoint + "/chat/completions");

        // Act
        using var first = await http.PostAsync(url, Body("scripted-model"));
        using var second = await http.PostAsync(url, Body("scripted-model"));
        var a = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        var b = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;

        // Assert
        var choice = a.GetProperty("choices")[0];
        Assert.Equal("chat.completion", a.GetProperty("object").GetString());
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        var ids = choice.GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal(1 + 1 + 4, ids.Count); // "Hi", "bash", "{\"command\":\"ls\"}" (16 characters)
        Assert.All(ids, id => Assert.InRange(id, 0, 49_999));
        Assert.Equal(ids.Count, choice.GetProperty("logprobs").GetProperty("content").GetArrayLength());
        Assert.Equal(ids.Count, a.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(a.GetProperty("prompt_token_ids").GetArrayLength(), a.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(a.GetProperty("prompt_token_ids").GetRawText(), b.GetProperty("prompt_token_ids").GetRawText());
        Assert.Equal(choice.GetProperty("logprobs").GetRawText(), b.GetProperty("choices")[0].GetProperty("logprobs").GetRawText());
        Assert.Equal("chatcmpl-scripted-1", b.GetProperty("id").GetString());
    }

    [Fact]
    public async Task ChatCompletions_NoExtrasRequested_OmitsTokenIdsAndLogprobs()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.Text("plain", finishReason: "length"));
        using var http = new HttpClient();

        // Act
        using var response = await http.PostAsync(new Uri(server.Endpoint + "/chat/completions"), Body("scripted-model", extras: false));
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        // Assert
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.False(choice.TryGetProperty("token_ids", out _));
        Assert.False(root.TryGetProperty("prompt_token_ids", out _));
        Assert.Equal(2, root.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_ConversationSentBack_NextPromptExtendsPromptPlusCompletion()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(ScriptedReply.ToolCall("bash", """{"command":"ls"}""", "Hi"), ScriptedReply.Text("done"));
        using var http = new HttpClient();
        var url = new Uri(server.Endpoint + "/chat/completions");
        const string First = """{"role":"user","content":"hello there"}""";

        // Act: the second request sends the first answer back verbatim, then the tool's output.
        using var one = await http.PostAsync(url, new StringContent($$"""{"model":"scripted-model","messages":[{{First}}],"return_token_ids":true}""", Encoding.UTF8, "application/json"));
        var a = JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement;
        var id = a.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("id").GetString();
        var call = "{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"bash\",\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}}";
        var again = "{\"model\":\"scripted-model\",\"return_token_ids\":true,\"messages\":[" + First + ",{\"role\":\"assistant\",\"content\":\"Hi\",\"tool_calls\":[" + call + "]},{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"README\"}]}";
        using var two = await http.PostAsync(url, new StringContent(again, Encoding.UTF8, "application/json"));
        var b = JsonDocument.Parse(await two.Content.ReadAsStringAsync()).RootElement;

        // Assert
        var prompt1 = a.GetProperty("prompt_token_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var completion1 = a.GetProperty("choices")[0].GetProperty("token_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        var prompt2 = b.GetProperty("prompt_token_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Equal([.. prompt1, .. completion1], prompt2.Take(prompt1.Count + completion1.Count));
        Assert.True(prompt2.Count > prompt1.Count + completion1.Count + 2, "the end marker, the tool message and the generation prompt follow");
    }

    [Fact]
    public async Task ChatCompletions_ConcurrentConversations_EachGetsItsOwnReplies()
    {
        // Arrange
        await using var server = await ScriptedModelServer.StartAsync();
        server.EnqueueConversation(ScriptedReply.ToolCall("bash", """{"command":"a1"}"""), ScriptedReply.Text("a2"));
        server.EnqueueConversation(ScriptedReply.ToolCall("bash", """{"command":"b1"}"""), ScriptedReply.Text("b2"));
        using var http = new HttpClient();
        var url = new Uri(server.Endpoint + "/chat/completions");
        async Task<JsonElement> PostAsync(string messages) =>
            JsonDocument.Parse(await (await http.PostAsync(url, new StringContent($$"""{"model":"scripted-model","messages":[{{messages}}]}""", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement.GetProperty("choices")[0].GetProperty("message");
        static string Call(JsonElement message) => message.GetProperty("tool_calls")[0].GetProperty("id").GetString()!;
        static string FollowUp(string id) =>
            "{\"role\":\"user\",\"content\":\"go\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"bash\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"ok\"}";

        // Act: both start, then the second one continues first.
        var first = await PostAsync("""{"role":"user","content":"go"}""");
        var second = await PostAsync("""{"role":"user","content":"go"}""");
        var secondNext = await PostAsync(FollowUp(Call(second)));
        var firstNext = await PostAsync(FollowUp(Call(first)));

        // Assert
        Assert.Contains("a1", first.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString(), StringComparison.Ordinal);
        Assert.Contains("b1", second.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString(), StringComparison.Ordinal);
        Assert.Equal("b2", secondNext.GetProperty("content").GetString());
        Assert.Equal("a2", firstNext.GetProperty("content").GetString());
        Assert.Equal(0, server.Pending);
    }
}
