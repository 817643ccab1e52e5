using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Sparring.Llm.Internal;

/// <summary>Builds the JSON body of <c>POST /chat/completions</c> from messages and options.</summary>
internal static class ChatRequestBuilder
{
    public static JsonObject Build(IEnumerable<ChatMessage> messages, ChatOptions? options, ModelClientOptions client)
    {
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? client.Model,
            ["messages"] = Messages(messages, options?.Instructions),
        };
        if (options is not null)
        {
            Sampling(body, options);
            Tools(body, options);
            ResponseFormat(body, options.ResponseFormat);
        }

        if (client.RequestLogprobs)
        {
            body["logprobs"] = true;
            if (client.TopLogprobs > 0)
            {
                body["top_logprobs"] = client.TopLogprobs;
            }
        }

        if (client.RequestTokenIds)
        {
            body["return_token_ids"] = true;
        }

        // Last, so a caller can send any server extra (vLLM's repetition_penalty, chat_template_kwargs, …) or override a field above.
        foreach (var (name, value) in options?.AdditionalProperties ?? [])
        {
            body[name] = ToNode(value);
        }

        return body;
    }

    /// <summary>The arguments string of a tool call as the model wrote it: raw text kept by the parser, else the arguments as JSON.</summary>
    public static string ArgumentsJson(FunctionCallContent call)
    {
        if (call.Arguments is { Count: 1 } arguments && arguments.TryGetValue(OpenAiCompatibleChatClient.RawArgumentsKey, out var raw))
        {
            switch (raw)
            {
                case string text:
                    return text;
                case JsonElement { ValueKind: JsonValueKind.String } element:
                    return element.GetString()!;
            }
        }

        return ToNode(call.Arguments ?? new Dictionary<string, object?>())!.ToJsonString();
    }

    private static JsonArray Messages(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var array = new JsonArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            array.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        foreach (var message in messages)
        {
            var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            if (text.Length > 0 || calls.Count > 0 || results.Count == 0)
            {
                var entry = new JsonObject
                {
                    ["role"] = message.Role.Value,
                    ["content"] = text.Length == 0 && calls.Count > 0 ? null : text,
                };
                if (!string.IsNullOrEmpty(message.AuthorName))
                {
                    entry["name"] = message.AuthorName;
                }

                if (calls.Count > 0)
                {
                    entry["tool_calls"] = new JsonArray(calls.Select(ToolCall).ToArray());
                }

                array.Add(entry);
            }

            // Each result is its own "tool" message, whatever role the ChatMessage holding it has.
            foreach (var result in results)
            {
                array.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = result.CallId, ["content"] = ResultText(result) });
            }
        }

        return array;
    }

    private static JsonNode ToolCall(FunctionCallContent call) => new JsonObject
    {
        ["id"] = call.CallId,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = ArgumentsJson(call) },
    };

    private static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception is { } ex ? "Error: " + ex.Message : "",
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        JsonElement element => element.GetRawText(),
        var other => ToNode(other)!.ToJsonString(),
    };

    private static void Sampling(JsonObject body, ChatOptions options)
    {
        Set(body, "temperature", options.Temperature);
        Set(body, "top_p", options.TopP);
        Set(body, "top_k", options.TopK);
        Set(body, "max_tokens", options.MaxOutputTokens);
        Set(body, "seed", options.Seed);
        Set(body, "frequency_penalty", options.FrequencyPenalty);
        Set(body, "presence_penalty", options.PresencePenalty);
        if (options.StopSequences is { Count: > 0 } stop)
        {
            body["stop"] = new JsonArray(stop.Select(s => (JsonNode?)s).ToArray());
        }
    }

    private static void Tools(JsonObject body, ChatOptions options)
    {
        if (options.Tools is { Count: > 0 } tools)
        {
            var array = new JsonArray();
            foreach (var tool in tools)
            {
                if (tool is not AIFunctionDeclaration function)
                {
                    throw new ArgumentException($"tool '{tool.Name}' is a {tool.GetType().Name}; an OpenAI-compatible server only takes function tools", nameof(options));
                }

                var definition = new JsonObject { ["name"] = function.Name };
                if (!string.IsNullOrEmpty(function.Description))
                {
                    definition["description"] = function.Description;
                }

                definition["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText());
                array.Add(new JsonObject { ["type"] = "function", ["function"] = definition });
            }

            body["tools"] = array;
        }

        if (ToolChoice(options.ToolMode) is { } choice)
        {
            body["tool_choice"] = choice;
        }

        if (options.AllowMultipleToolCalls is { } parallel)
        {
            body["parallel_tool_calls"] = parallel;
        }
    }

    private static JsonNode? ToolChoice(ChatToolMode? mode) => mode switch
    {
        null => null,
        NoneChatToolMode => "none",
        AutoChatToolMode => "auto",
        RequiredChatToolMode { RequiredFunctionName: null } => "required",
        RequiredChatToolMode required => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = required.RequiredFunctionName } },
        _ => throw new ArgumentException($"unknown tool mode {mode}", nameof(mode)),
    };

    private static void ResponseFormat(JsonObject body, ChatResponseFormat? format)
    {
        switch (format)
        {
            case ChatResponseFormatJson { Schema: null }:
                body["response_format"] = new JsonObject { ["type"] = "json_object" };
                break;
            case ChatResponseFormatJson json:
                var schema = new JsonObject { ["name"] = json.SchemaName ?? "response", ["schema"] = JsonNode.Parse(json.Schema.Value.GetRawText()) };
                if (!string.IsNullOrEmpty(json.SchemaDescription))
                {
                    schema["description"] = json.SchemaDescription;
                }

                body["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = schema };
                break;
        }
    }

    private static void Set<T>(JsonObject body, string name, T? value)
        where T : struct
    {
        if (value is { } present)
        {
            body[name] = JsonValue.Create(present);
        }
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };
}
