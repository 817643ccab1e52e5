using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

/// <summary>The symbol-aware search in a real sandbox, with universal-ctags and ripgrep, in the four languages.</summary>
public sealed class SymbolsToolTests
{
    private readonly SymbolsTool _tool = new();

    [Fact]
    public async Task InvokeAsync_APythonFunction_ItsDefinitionWithSignatureThenItsUses()
    {
        // Arrange: add is defined in calc.py and used twice elsewhere; "address" must not count (whole words only).
        using var workspace = await CreateAsync(r => r
            .Write("src/total.py", "from calc import add\n\n\ndef total(xs):\n    address = 0\n    return add(xs[0], xs[1])\n"));

        // Act
        var result = await _tool.InvokeAsync(Args("""{"name": "add"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal(
            "Definitions of add in /repo: 1\n  /repo/src/calc.py:1  function  add(a, b)\n"
            + "References (whole-word uses, definitions left out): 2\n  /repo/src/total.py:1:from calc import add\n  /repo/src/total.py:6:    return add(xs[0], xs[1])\n",
            result.Output);
    }

    [Theory]
    [InlineData("stats/freq.go", "package stats\n\ntype Counter struct{}\n\nfunc (c *Counter) Add(w string) int { return len(w) }\n\nfunc Use() int { var c Counter; return c.Add(\"x\") }\n", "Add", "/repo/stats/freq.go:5  func in stats.Counter  Add(w string)", "/repo/stats/freq.go:7:")]
    [InlineData("lib/ledger.js", "class Ledger {\n  balance() { return 0; }\n}\n\nfunction total(l) {\n  return l.balance();\n}\n\nmodule.exports = { Ledger, total };\n", "total", "/repo/lib/ledger.js:5  function  total(l)", "/repo/lib/ledger.js:9:")]
    [InlineData("Geometry/Shapes.cs", "namespace Geometry;\n\npublic static class Shapes\n{\n    public static double Area(double w, double h) => w * h;\n\n    public static double Square(double s) => Area(s, s);\n}\n", "Area", "/repo/Geometry/Shapes.cs:5  method in Shapes  Area(double w, double h)", "/repo/Geometry/Shapes.cs:7:")]
    public async Task InvokeAsync_GoJavaScriptAndCSharp_DefinitionsWithKindAndScopeAndTheirUses(string path, string content, string name, string definition, string use)
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write(path, content));

        // Act
        var result = await _tool.InvokeAsync(Args($$"""{"name": "{{name}}"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Contains(definition, result.Output, StringComparison.Ordinal);
        Assert.Contains(use, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(definition.Split("  ")[0] + ":", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_PathNarrowsAndAnUnknownNameIsAnAnswer()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var narrowed = await _tool.InvokeAsync(Args("""{"name": "shout", "path": "src/util"}"""), workspace.Context);
        var elsewhere = await _tool.InvokeAsync(Args("""{"name": "shout", "path": "/repo/README.md"}"""), workspace.Context);
        var unknown = await _tool.InvokeAsync(Args("""{"name": "nowhere_to_be_found"}"""), workspace.Context);

        // Assert
        Assert.Contains("/repo/src/util/strings.py:1  function", narrowed.Output, StringComparison.Ordinal);
        Assert.Contains("Definitions of shout in /repo/README.md: none found.", elsewhere.Output, StringComparison.Ordinal);
        Assert.Equal("Definitions of nowhere_to_be_found in /repo: none found.\nReferences (whole-word uses, definitions left out): 0\n", unknown.Output);
    }

    [Theory]
    [InlineData("""{"name": "a b"}""")]
    [InlineData("""{"name": "x\"; touch /repo/pwned; echo \""}""")]
    [InlineData("""{"name": "$(touch /repo/pwned)"}""")]
    [InlineData("""{"name": "-rf"}""")]
    [InlineData("""{"name": ""}""")]
    public async Task InvokeAsync_ANameThatIsNotAnIdentifier_IsRefusedAndRunsNothing(string arguments)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args(arguments), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.False(workspace.Exists("pwned"));
    }

    [Fact]
    public async Task InvokeAsync_APathOutOfTheRepository_IsRefused()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"name": "root", "path": "../../etc"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.DoesNotContain("passwd", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_NameThenPath_BothFormatsGiveTheSameArguments()
    {
        // Act
        var text = _tool.ParseText("add\nsrc\n");
        var json = _tool.ParseText("""{"name": "add", "path": "src"}""");

        // Assert
        Assert.Equal("add", text.GetString("name"));
        Assert.Equal("src", text.GetOptionalString("path"));
        Assert.Equal(text.GetString("name"), json.GetString("name"));
        Assert.Equal(text.GetOptionalString("path"), json.GetOptionalString("path"));
        Assert.Throws<ToolArgumentException>(() => _tool.ParseText("\n"));
    }
}
