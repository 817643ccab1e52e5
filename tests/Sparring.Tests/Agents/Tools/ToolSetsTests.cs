using System.Text.Json;
using Sparring.Injection;
using Sparring.Agents.Tools;

namespace Sparring.Tests.Agents.Tools;

public sealed class ToolSetsTests
{
    public static TheoryData<string> Sets => ["solver", "cwm", "injector"];

    private static IReadOnlyList<AgentTool> Set(string name) => name switch
    {
        "solver" => ToolSets.Solver(),
        "cwm" => ToolSets.Cwm(),
        _ => InjectorTools.Create(),
    };

    [Fact]
    public void Solver_Default_HasTheSolverToolsInOrder()
    {
        // Arrange
        var expected = new[] { "bash", "str_replace_editor", "edit", "create", "search", "find_file", "symbols", "viewer", "submit" };

        // Act
        var tools = ToolSets.Solver();

        // Assert
        Assert.Equal(expected, tools.Select(t => t.Name));
        Assert.IsType<SubmitTool>(tools[^1]);
    }

    [Fact]
    public void Cwm_Default_IsBashEditCreateSubmit()
    {
        // Arrange
        var expected = new[] { "bash", "edit", "create", "submit" };

        // Act
        var tools = ToolSets.Cwm();

        // Assert
        Assert.Equal(expected, tools.Select(t => t.Name));
        Assert.IsType<SubmitTool>(tools[^1]);
    }

    [Fact]
    public void Injector_Default_SubmitsTheArtifact()
    {
        // Arrange
        var solver = ToolSets.Solver().Select(t => t.Name);

        // Act
        var tools = InjectorTools.Create();

        // Assert
        Assert.Equal(solver, tools.Select(t => t.Name));
        Assert.IsType<SubmitArtifactTool>(tools[^1]);
        Assert.Contains(".sparring-artifact", tools[^1].Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void EverySet_Tools_HaveUniqueNamesObjectSchemasAndTextUsage(string set)
    {
        // Arrange
        var tools = Set(set);

        // Act
        var names = tools.Select(t => t.Name).ToList();

        // Assert
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tools, t =>
        {
            Assert.Equal("object", t.ParametersSchema.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Object, t.ParametersSchema.GetProperty("properties").ValueKind);
            Assert.Contains($"<tool: {t.Name}>", t.TextUsage, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(t.Description));
        });
    }

    [Fact]
    public void Solver_CustomOptions_AreQuotedInDescriptions()
    {
        // Arrange
        var options = new ToolOptions { WindowLines = 42, MaxSearchResults = 7 };

        // Act
        var tools = ToolSets.Solver(options);

        // Assert
        Assert.Contains("42 numbered lines", tools.Single(t => t.Name == "viewer").Description, StringComparison.Ordinal);
        Assert.Contains("at most 7 lines", tools.Single(t => t.Name == "search").Description, StringComparison.Ordinal);
    }
}
