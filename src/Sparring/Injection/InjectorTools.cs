using Sparring.Agents.Tools;

namespace Sparring.Injection;

/// <summary>The bug injector's tools: the solver's, with a submit that hands in the SSR artifact instead of a patch.</summary>
public static class InjectorTools
{
    public static IReadOnlyList<AgentTool> Create(ToolOptions? options = null) =>
        [.. ToolSets.Exploring(options), new SubmitArtifactTool()];
}
