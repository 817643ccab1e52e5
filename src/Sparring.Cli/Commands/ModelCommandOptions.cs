using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.Llm;

namespace Sparring.Cli.Commands;

/// <summary>The options every verb with an LLM policy shares (<c>solve</c>, <c>inject --policy llm</c>), and how they become a client and agent options.</summary>
internal sealed class ModelCommandOptions
{
    private readonly AgentOptions _defaults = new();

    public Option<string?> Url { get; } = new("--model-url") { Description = "Base URL of an OpenAI-compatible server, e.g. http://localhost:8000/v1 (vLLM, SGLang, Ollama, llama.cpp, OpenAI)." };

    public Option<string?> Model { get; } = new("--model") { Description = "The served model name." };

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "Bearer token for the server (default: $OPENAI_API_KEY)." };

    public Option<string> ActionFormat { get; } = new("--action-format") { Description = "How the model calls tools: native (tool calls) or text (<tool: NAME> … </tool>).", DefaultValueFactory = _ => "native" };

    public Option<string> ToolSet { get; } = new("--tools") { Description = "The solver's tools: full (bash, file editor, edit, create, search, find_file, symbols, viewer, submit) or cwm (bash, edit, create, submit).", DefaultValueFactory = _ => "full" };

    public Option<bool> Hints { get; } = new("--hints") { Description = "End every tool observation with the turns, tokens and minutes left and how to run the tests (SkyRL-Agent's environment hints)." };

    public Option<int> MaxTurns { get; } = new("--max-turns") { Description = "Model calls per episode.", DefaultValueFactory = _ => new AgentOptions().MaxTurns };

    public Option<long> MaxTokens { get; } = new("--max-tokens") { Description = "Prompt plus completion tokens per episode.", DefaultValueFactory = _ => new AgentOptions().MaxTokens };

    public Option<int> WallClock { get; } = new("--wall-clock") { Description = "Seconds per episode.", DefaultValueFactory = _ => (int)new AgentOptions().WallClock.TotalSeconds };

    public Option<float?> Temperature { get; } = new("--temperature") { Description = "Sampling temperature (default 1.0)." };

    public Option<float?> TopP { get; } = new("--top-p") { Description = "Nucleus sampling (default 0.95; 1 turns it off, as RL rollouts should)." };

    public Option<int?> TopK { get; } = new("--top-k") { Description = "Top-k sampling (a vLLM extra)." };

    public Option<long?> SamplingSeed { get; } = new("--sampling-seed") { Description = "Seed sent to the server with every request." };

    public Option<string?> Prompts { get; } = new("--prompts") { Description = "Directory whose NAME.md files replace the built-in prompt templates (solver, test-writer, agent-system, injector-removal, injector-history)." };

    public Option<string?> Record { get; } = new("--record") { Description = "Append every model call to this JSONL file (replayable with --replay)." };

    public Option<string?> Replay { get; } = new("--replay") { Description = "Answer model calls from a recording instead of a server (no --model-url needed)." };

    public IEnumerable<Option> All => [Url, Model, ApiKey, ActionFormat, ToolSet, Hints, MaxTurns, MaxTokens, WallClock, Temperature, TopP, TopK, SamplingSeed, Prompts, Record, Replay];

    /// <summary>The agent options, validated; bad values are usage errors.</summary>
    public AgentRoleOptions RoleOptions(ParseResult result) => new AgentRoleOptions
    {
        Agent = new AgentOptions
        {
            ActionFormat = result.GetValue(ActionFormat) switch
            {
                "native" => Agents.ActionFormat.Native,
                "text" => Agents.ActionFormat.Text,
                var other => throw new ArgumentException($"--action-format must be native or text, got '{other}'"),
            },
            MaxTurns = result.GetValue(MaxTurns),
            MaxTokens = result.GetValue(MaxTokens),
            WallClock = TimeSpan.FromSeconds(result.GetValue(WallClock)),
            Temperature = result.GetValue(Temperature) ?? _defaults.Temperature,
            TopP = result.GetValue(TopP) is { } p ? (p >= 1 ? null : p) : _defaults.TopP,
            TopK = result.GetValue(TopK),
            Seed = result.GetValue(SamplingSeed),
            Hints = result.GetValue(Hints),
        },
        Tools = new ToolOptions(),
        ToolSet = result.GetValue(ToolSet) ?? "full",
        PromptDirectory = result.GetValue(Prompts),
        Model = result.GetValue(Model) ?? (result.GetValue(Replay) is not null ? "replay" : null),
    }.Validate();

    /// <summary>The chat client: a replay of a recording, or the server at --model-url (with retries, and recording when asked).</summary>
    public async Task<IChatClient> ClientAsync(ParseResult result, CancellationToken cancellationToken)
    {
        if (result.GetValue(Replay) is { } replay)
        {
            return await ReplayChatClient.LoadAsync(replay, cancellationToken).ConfigureAwait(false);
        }

        var url = result.GetValue(Url) ?? throw new ArgumentException("an LLM policy needs --model-url (e.g. http://localhost:8000/v1) and --model, or --replay FILE");
        var model = result.GetValue(Model) ?? throw new ArgumentException("an LLM policy needs --model (the served model name)");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--model-url must be an absolute URL, got '{url}'"));
        }

        var options = new ModelClientOptions
        {
            Endpoint = endpoint,
            Model = model,
            ApiKey = result.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
        }.Validate();
        return ModelClients.Create(options, result.GetValue(Record));
    }
}
