namespace Sparring.Agents.Tools;

/// <summary>The tools each role gets. Every call returns new instances; names are unique within a set.</summary>
public static class ToolSets
{
    /// <summary>The solver: shell, both editors, whole-file writes, search, symbols, the windowed viewer, and submit (the patch).</summary>
    /// <param name="options">Limits quoted in the tools' descriptions; use the same ones as the <see cref="ToolContext"/>.</param>
    public static IReadOnlyList<AgentTool> Solver(ToolOptions? options = null) =>
        [.. Exploring(options), new SubmitTool()];

    /// <summary>CWM's minimal set: bash, the search/replace edit, create, submit.</summary>
    public static IReadOnlyList<AgentTool> Cwm(ToolOptions? options = null) =>
        [new BashTool(options), new SearchReplaceTool(), new CreateFileTool(), new SubmitTool()];

    /// <summary>The tools of every full set but its submit: shell, both editors, whole-file writes, search, symbols, the windowed viewer.</summary>
    public static AgentTool[] Exploring(ToolOptions? options = null) =>
    [
        new BashTool(options),
        new FileEditorTool(),
        new SearchReplaceTool(),
        new CreateFileTool(),
        new SearchTool(options),
        new FindFileTool(options),
        new SymbolsTool(options),
        new WindowedViewerTool(options),
    ];
}
