using System.Text.Json;

namespace Sparring.Agents.Tools;

/// <summary>Turns a tool's JSON schema text into the element <see cref="AgentTool.ParametersSchema"/> returns (once, at type load).</summary>
public static class ToolSchema
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
