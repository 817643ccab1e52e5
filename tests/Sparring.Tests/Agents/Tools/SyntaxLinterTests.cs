using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class SyntaxLinterTests
{
    private readonly SyntaxLinter _linter = new();

    [Theory]
    [InlineData("a.py", true)]
    [InlineData("pkg/b.pyi", true)]
    [InlineData("main.go", true)]
    [InlineData("web/app.js", true)]
    [InlineData("m.mjs", true)]
    [InlineData("c.cjs", true)]
    [InlineData("src/Program.cs", true)]
    [InlineData("README.md", false)]
    [InlineData("lib.rs", false)]
    [InlineData("Makefile", false)]
    public void Supports_ByExtension_KnowsTheLanguages(string path, bool expected)
    {
        // Arrange
        var path2 = path.ToUpperInvariant();

        // Act
        var supported = _linter.Supports(path);

        // Assert
        Assert.Equal(expected, supported);
        Assert.Equal(expected, _linter.Supports(path2));
    }

    public static TheoryData<string, string, string, string> Samples => new()
    {
        { "m.py", "def f(x):\n    return x\n", "def f(x):\n    return (x\n", "/repo/m.py:2:12: SyntaxError: '(' was never closed" },
        { "m.go", "package m\n\nfunc F() int { return 1 }\n", "package m\n\nfunc F() int { return 1\n", "/repo/m.go:3:25: expected ';', found 'EOF'\n/repo/m.go:3:25: expected '}', found 'EOF'" },
        { "m.js", "const f = (x) => x;\nmodule.exports = f;\n", "const f = (x) => ;\n", "/repo/m.js:1:18: SyntaxError: Unexpected token ';'" },
        { "esm.js", "import fs from 'fs';\nexport const f = 1;\n", "import fs from 'fs';\nexport const f = ;\n", "/repo/esm.js:2:18: SyntaxError: Unexpected token ';'" },
        { "m.mjs", "export const f = 1;\n", "export const f = 1 +;\n", "/repo/m.mjs:1:21: SyntaxError: Unexpected token ';'" },
        { "m.cjs", "module.exports = 1;\n", "module.exports = {;\n", "/repo/m.cjs:1:19: SyntaxError: Unexpected token ';'" },
        { "M.cs", "namespace N;\n\npublic class M { }\n", "namespace N;\n\npublic class M {\n", "/repo/M.cs:3:17: error CS1513: } expected" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task LintAsync_ValidThenBrokenSource_ReportsOnlyTheBrokenOneWithItsLine(string path, string valid, string broken, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var clean = await _linter.LintAsync(path, valid, workspace.Context);
        var errors = await _linter.LintAsync(path, broken, workspace.Context);

        // Assert
        Assert.Null(clean);
        Assert.NotNull(errors);
        Assert.StartsWith(expected, errors, StringComparison.Ordinal);
        Assert.EndsWith("\n", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintAsync_ManyCSharpErrors_ShowsTenAndCountsTheRest()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var source = string.Concat(Enumerable.Repeat("int x = ;\n", 15));

        // Act
        var errors = await _linter.LintAsync("Many.cs", source, workspace.Context);

        // Assert
        Assert.NotNull(errors);
        Assert.Equal(11, errors.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("more errors not shown", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintAsync_ToolchainMissing_ReturnsNullAndUnsupportedLanguagesAreSkipped()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var linter = new SyntaxLinter("/nonexistent/python3", null, null);

        // Act
        var python = await linter.LintAsync("a.py", "def f(:\n", workspace.Context);
        var go = await linter.LintAsync("a.go", "package\n", workspace.Context);

        // Assert
        Assert.Null(python);
        Assert.Null(go);
        Assert.True(linter.Supports("a.py"));
        Assert.False(linter.Supports("a.go"));
        Assert.False(linter.Supports("a.js"));
        Assert.True(linter.Supports("a.cs"));
        Assert.NotNull(_linter.GofmtPath);
    }
}
