using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Sparring.Llm.Internal;

/// <summary>
/// Reads an OpenAI chat completion (with vLLM's extras: <c>prompt_token_ids</c>, <c>choices[0].token_ids</c>,
/// <c>token_id:N</c> logprob tokens, <c>reasoning_content</c>) into a <see cref="ChatResponse"/> and a <see cref="ModelTurn"/>.
/// </summary>
/// <remarks>Throws <see cref="FormatException"/> or <see cref="JsonException"/> when the body is not a completion.</remarks>
internal static class ChatCompletionParser
{
    private const string TokenIdPrefix = "token_id:";

    /// <summary>What vLLM writes for an impossible token; also used for a missing value, since JSON has no -Infinity.</summary>
    private const double MissingLogprob = -9999.0;

    public static ChatResponse Parse(string body, double latencyMs)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"the body is a JSON {root.ValueKind}, not an object");
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new FormatException("the body has no choices");
        }

        var choice = choices[0];
        if (!choice.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("choices[0] has no message");
        }

        var finishReason = String(choice, "finish_reason");
        var model = String(root, "model");
        var usage = Usage(root);
        var completionIds = Ids(choice, "token_ids");
        var logprobs = Logprobs(choice, completionIds);
        completionIds ??= logprobs is { Count: > 0 } && logprobs.All(l => l.TokenId is not null) ? logprobs.Select(l => l.TokenId!.Value).ToList() : null;

        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, Contents(message)))
        {
            ResponseId = String(root, "id"),
            ModelId = model,
            CreatedAt = Long(root, "created") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            FinishReason = string.IsNullOrWhiteSpace(finishReason) ? null : new ChatFinishReason(finishReason),
            Usage = usage,
        };
        response.AdditionalProperties = new AdditionalPropertiesDictionary { [ChatResponseExtensions.RawJsonKey] = body };
        return response.WithModelTurn(new ModelTurn
        {
            Model = model,
            FinishReason = finishReason,
            PromptTokenIds = Ids(root, "prompt_token_ids"),
            CompletionTokenIds = completionIds,
            Logprobs = logprobs,
            PromptTokens = usage?.InputTokenCount is { } prompt ? checked((int)prompt) : null,
            CompletionTokens = usage?.OutputTokenCount is { } completion ? checked((int)completion) : null,
            LatencyMs = latencyMs,
            Attempts = 1,
        });
    }

    /// <summary>
    /// Parses tool-call arguments. Text that is not a JSON object is kept verbatim under
    /// <see cref="OpenAiCompatibleChatClient.RawArgumentsKey"/>, with <see cref="FunctionCallContent.Exception"/> saying why,
    /// so the agent can tell the model instead of failing the episode.
    /// </summary>
    public static FunctionCallContent ToolCall(string callId, string name, string arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            // Some servers send "" for a call without arguments.
            return new FunctionCallContent(callId, name, new Dictionary<string, object?>(StringComparer.Ordinal));
        }

        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"the arguments are a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }

            return new FunctionCallContent(callId, name, values);
        }
        catch (JsonException ex)
        {
            return new FunctionCallContent(callId, name, new Dictionary<string, object?>(StringComparer.Ordinal) { [OpenAiCompatibleChatClient.RawArgumentsKey] = arguments })
            {
                Exception = new JsonException($"the arguments of '{name}' are not a valid JSON object: {ex.Message}", ex),
            };
        }
    }

    private static List<AIContent> Contents(JsonElement message)
    {
        var contents = new List<AIContent>();
        var reasoning = String(message, "reasoning_content") ?? String(message, "reasoning");
        if (!string.IsNullOrEmpty(reasoning))
        {
            contents.Add(new TextReasoningContent(reasoning));
        }

        if (String(message, "content") is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var call in calls.EnumerateArray())
            {
                if (!call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("a tool call has no function");
                }

                var arguments = function.TryGetProperty("arguments", out var value)
                    ? value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString()!,
                        JsonValueKind.Null => "",
                        _ => value.GetRawText(), // a server that sends the object itself
                    }
                    : "";
                var callId = String(call, "id") ?? string.Create(CultureInfo.InvariantCulture, $"call_{index}");
                contents.Add(ToolCall(callId, String(function, "name") ?? "", arguments));
                index++;
            }
        }

        return contents;
    }

    private static UsageDetails? Usage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new UsageDetails
        {
            InputTokenCount = Long(usage, "prompt_tokens"),
            OutputTokenCount = Long(usage, "completion_tokens"),
            TotalTokenCount = Long(usage, "total_tokens"),
            CachedInputTokenCount = usage.TryGetProperty("prompt_tokens_details", out var prompt) && prompt.ValueKind == JsonValueKind.Object ? Long(prompt, "cached_tokens") : null,
            ReasoningTokenCount = usage.TryGetProperty("completion_tokens_details", out var completion) && completion.ValueKind == JsonValueKind.Object ? Long(completion, "reasoning_tokens") : null,
        };
    }

    private static List<TokenLogprob>? Logprobs(JsonElement choice, List<int>? completionIds)
    {
        if (!choice.TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object
            || !logprobs.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var entries = new List<TokenLogprob>(content.GetArrayLength());
        foreach (var entry in content.EnumerateArray())
        {
            var token = String(entry, "token") ?? "";
            var logprob = entry.TryGetProperty("logprob", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : MissingLogprob;
            entries.Add(new TokenLogprob(token, logprob, TokenId(token)));
        }

        // Ids from token_ids win over ids parsed from the token text when both line up.
        if (completionIds is not null && completionIds.Count == entries.Count)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                entries[i] = entries[i] with { TokenId = completionIds[i] };
            }
        }

        return entries;
    }

    /// <summary>The id in a vLLM <c>token_id:N</c> token (<c>--return-tokens-as-token-ids</c>), else null.</summary>
    private static int? TokenId(string token) =>
        token.StartsWith(TokenIdPrefix, StringComparison.Ordinal)
        && int.TryParse(token.AsSpan(TokenIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    private static List<int>? Ids(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var ids = new List<int>(array.GetArrayLength());
        foreach (var id in array.EnumerateArray())
        {
            ids.Add(id.GetInt32());
        }

        return ids;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}
