using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Sparring.TestUtilities;

/// <summary>A successful chat completion in the OpenAI wire format, with vLLM's token ids and logprobs when asked for.</summary>
internal sealed record ScriptedModelCompletion : ScriptedReply
{
    public string? Content { get; init; }

    public required IReadOnlyList<ScriptedModelToolCall> Calls { get; init; }

    public required string FinishReason { get; init; }

    /// <summary>The first completion token's <c>top_logprobs</c> (token, logprob), when scripted; else made up.</summary>
    public IReadOnlyList<(string Token, double Logprob)>? FirstTokenAlternatives { get; init; }

    internal override async Task WriteAsync(HttpContext context, ScriptedModelRequest request, CancellationToken cancellationToken)
    {
        // The completion is tokenised piece by piece: the text, then each call's name and arguments.
        var completion = new List<string>();
        completion.AddRange(ScriptedModelTokenizer.Tokens(Content ?? ""));
        foreach (var call in Calls)
        {
            completion.AddRange(ScriptedModelTokenizer.Tokens(call.Name));
            completion.AddRange(ScriptedModelTokenizer.Tokens(call.ArgumentsJson));
        }

        var prompt = request.PromptTokens();
        var tokenIds = request.Flag("return_token_ids");
        var tokensAsIds = request.Flag("return_tokens_as_token_ids");

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", "chatcmpl-scripted-" + request.Sequence.ToString(CultureInfo.InvariantCulture));
            json.WriteString("object", "chat.completion");
            json.WriteNumber("created", 1_700_000_000L + request.Sequence);
            json.WriteString("model", request.Model);
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", Content);
            json.WriteStartArray("tool_calls");
            for (var i = 0; i < Calls.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"call_{request.Sequence}_{i}"));
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", Calls[i].Name);
                json.WriteString("arguments", Calls[i].ArgumentsJson);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            if (request.Flag("logprobs"))
            {
                WriteLogprobs(json, completion, tokensAsIds, request.TopLogprobs, FirstTokenAlternatives);
            }
            else
            {
                json.WriteNull("logprobs");
            }

            json.WriteString("finish_reason", FinishReason);
            if (tokenIds)
            {
                WriteIds(json, "token_ids", completion);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            if (tokenIds)
            {
                WriteIds(json, "prompt_token_ids", prompt);
            }

            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", prompt.Count);
            json.WriteNumber("completion_tokens", completion.Count);
            json.WriteNumber("total_tokens", prompt.Count + completion.Count);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.ToArray(), cancellationToken);
    }

    private static void WriteIds(Utf8JsonWriter json, string name, IReadOnlyList<string> tokens)
    {
        json.WriteStartArray(name);
        foreach (var token in tokens)
        {
            json.WriteNumberValue(ScriptedModelTokenizer.Id(token));
        }

        json.WriteEndArray();
    }

    private static void WriteLogprobs(Utf8JsonWriter json, List<string> tokens, bool tokensAsIds, int top, IReadOnlyList<(string Token, double Logprob)>? firstAlternatives)
    {
        json.WriteStartObject("logprobs");
        json.WriteStartArray("content");
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var text = tokensAsIds ? "token_id:" + ScriptedModelTokenizer.Id(token).ToString(CultureInfo.InvariantCulture) : token;
            var scripted = i == 0 ? firstAlternatives : null;
            var logprob = scripted?.FirstOrDefault(a => a.Token == token) is { Token: not null } own ? own.Logprob : ScriptedModelTokenizer.Logprob(token);
            json.WriteStartObject();
            WriteEntry(json, text, logprob);
            json.WriteStartArray("top_logprobs");
            for (var k = 0; k < (scripted is null ? top : Math.Min(top, scripted.Count)); k++)
            {
                // The scripted alternatives, or the sampled token first, then made-up, less likely ones.
                json.WriteStartObject();
                if (scripted is not null)
                {
                    WriteEntry(json, scripted[k].Token, scripted[k].Logprob);
                }
                else
                {
                    WriteEntry(json, k == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"alt{k}"), logprob - k);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter json, string token, double logprob)
    {
        json.WriteString("token", token);
        json.WriteNumber("logprob", logprob);
        json.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            json.WriteNumberValue(b);
        }

        json.WriteEndArray();
    }
}
