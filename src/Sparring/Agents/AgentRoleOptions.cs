using Sparring.Agents;
using Sparring.Agents.Tools;

namespace Sparring.Agents;

/// <summary>What the solver and injector agents share: the loop's budgets and format, tool limits, prompts.</summary>
public sealed record AgentRoleOptions
{
    public AgentOptions Agent { get; init; } = new();

    public ToolOptions Tools { get; init; } = new();

    /// <summary>The solver's tools: <c>full</c> (bash, file editor, edit, create, search, find_file, viewer, submit) or <c>cwm</c> (bash, edit, create, submit).</summary>
    public string ToolSet { get; init; } = "full";

    /// <summary>A directory whose <c>NAME.md</c> files replace the embedded prompt templates (<see cref="PromptTemplates"/>).</summary>
    public string? PromptDirectory { get; init; }

    /// <summary>The model name recorded in trajectories.</summary>
    public string? Model { get; init; }

    public AgentRoleOptions Validate()
    {
        Agent.Validate();
        Tools.Validate();
        if (ToolSet is not ("full" or "cwm"))
        {
            throw new ArgumentException($"tool set must be 'full' or 'cwm', got '{ToolSet}'");
        }

        if (PromptDirectory is not null && !Directory.Exists(PromptDirectory))
        {
            throw new ArgumentException($"prompt directory '{PromptDirectory}' does not exist");
        }

        return this;
    }
}
