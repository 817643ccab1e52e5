using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class FindFileToolTests
{
    private readonly FindFileTool _tool = new();

    [Fact]
    public async Task InvokeAsync_Glob_ListsMatchingFilesSorted()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("tests/test_calc.py", "").Write(".hidden/x.py", ""));

        // Act
        var result = await _tool.InvokeAsync(Args("""{"name": "*.py"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("Found 3 files matching \"*.py\" in /repo:\n/repo/src/calc.py\n/repo/src/util/strings.py\n/repo/tests/test_calc.py\n", result.Output);
    }

    [Fact]
    public async Task InvokeAsync_ExactNameInAFolder_FindsItAtAnyDepth()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var found = await _tool.InvokeAsync(_tool.ParseText("strings.py\nsrc"), workspace.Context);
        var elsewhere = await _tool.InvokeAsync(Args("""{"name": "calc.py", "path": "/repo/src/util"}"""), workspace.Context);

        // Assert
        Assert.Contains("/repo/src/util/strings.py", found.Output, StringComparison.Ordinal);
        Assert.False(elsewhere.IsError);
        Assert.Equal("No files matching \"calc.py\" in /repo/src/util.", elsewhere.Output);
    }

    [Fact]
    public async Task InvokeAsync_GitIgnoredFiles_AreSkipped()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write(".gitignore", "build/\n"));
        await workspace.Sandbox.WriteFileAsync("build/out.py", "x = 1\n"u8.ToArray());

        // Act
        var result = await _tool.InvokeAsync(Args("""{"name": "out.py"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.StartsWith("No files matching", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_MoreFilesThanTheLimit_SaysHowManyMore()
    {
        // Arrange
        using var workspace = await CreateAsync(
            r =>
            {
                for (var i = 0; i < 12; i++)
                {
                    r.Write($"gen/m{i:00}.py", "");
                }
            },
            new ToolOptions { MaxSearchResults = 10 });

        // Act
        var result = await _tool.InvokeAsync(Args("""{"name": "m*.py"}"""), workspace.Context);

        // Assert
        Assert.Contains("Found 12 files", result.Output, StringComparison.Ordinal);
        Assert.Contains("/repo/gen/m09.py", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/repo/gen/m10.py", result.Output, StringComparison.Ordinal);
        Assert.Contains("[2 more files not shown", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "passwd", "path": "/etc"}""", "outside the repository")]
    [InlineData("""{"name": "passwd", "path": "../../etc"}""", "outside the repository")]
    [InlineData("""{"name": " "}""", "name is empty")]
    [InlineData("""{"path": "src"}""", "missing required argument 'name'")]
    public async Task InvokeAsync_BadArguments_IsAnError(string json, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args(json), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_NameAndOptionalFolder_AreRead()
    {
        // Arrange
        const string body = "test_*.py\ntests";

        // Act
        var both = _tool.ParseText(body);
        var nameOnly = _tool.ParseText("setup.cfg");

        // Assert
        Assert.Equal("test_*.py", both.GetString("name"));
        Assert.Equal("tests", both.GetOptionalString("path"));
        Assert.Equal("setup.cfg", nameOnly.GetString("name"));
        Assert.False(nameOnly.Has("path"));
        Assert.Throws<ToolArgumentException>(() => _tool.ParseText("\nsrc"));
    }
}
