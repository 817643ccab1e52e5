using System.Globalization;
using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class SearchToolTests
{
    private readonly SearchTool _tool = new();

    [Fact]
    public async Task InvokeAsync_Regex_ListsMatchingLinesWithPathsAndNumbers()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"pattern": "def (add|shout)"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal(
            "Found 2 matching lines for \"def (add|shout)\" in /repo:\n/repo/src/calc.py:1:def add(a, b):\n/repo/src/util/strings.py:1:def shout(s):\n",
            result.Output);
    }

    [Fact]
    public async Task InvokeAsync_HiddenAndGitDirectories_AreNotSearched()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"pattern": "needle|repositoryformatversion"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.StartsWith("No matches found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_PathAndGlob_NarrowTheSearch()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("src/notes.txt", "return to sender\n"));

        // Act
        var inUtil = await _tool.InvokeAsync(Args("""{"pattern": "return", "path": "/repo/src/util"}"""), workspace.Context);
        var onlyPython = await _tool.InvokeAsync(Args("""{"pattern": "return", "path": "src", "glob": "*.py"}"""), workspace.Context);

        // Assert
        Assert.Contains("Found 1 matching line for", inUtil.Output, StringComparison.Ordinal);
        Assert.Contains("/repo/src/util/strings.py:2:", inUtil.Output, StringComparison.Ordinal);
        Assert.Contains("Found 3 matching lines", onlyPython.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt", onlyPython.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NoMatch_IsAnAnswerNotAnError()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"pattern": "class Missing"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.Equal("No matches found for \"class Missing\" in /repo.", result.Output);
    }

    [Fact]
    public async Task InvokeAsync_InvalidRegex_IsAnErrorWithAHint()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"pattern": "add(a, b"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("invalid regular expression", result.Output, StringComparison.Ordinal);
        Assert.Contains("unclosed group", result.Output, StringComparison.Ordinal);
        Assert.Contains("backslash", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_MoreMatchesThanTheLimit_ShowsTheFirstAndCountsTheRest()
    {
        // Arrange
        var many = string.Concat(Enumerable.Range(1, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"value_{i} = {i}\n")));
        using var workspace = await CreateAsync(r => r.Write("big.py", many), new ToolOptions { MaxSearchResults = 5 });

        // Act
        var result = await _tool.InvokeAsync(Args("""{"pattern": "^value_"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.Contains("Found 40 matching lines", result.Output, StringComparison.Ordinal);
        Assert.Contains("/repo/big.py:5:value_5 = 5", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/repo/big.py:6:", result.Output, StringComparison.Ordinal);
        Assert.Contains("[35 more matching lines not shown", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"pattern": "root", "path": "../../etc"}""", "outside the repository")]
    [InlineData("""{"pattern": "root", "path": "/etc/passwd"}""", "outside the repository")]
    [InlineData("""{"pattern": "x", "path": "src/nowhere"}""", "ripgrep failed")]
    [InlineData("""{"pattern": ""}""", "pattern is empty")]
    [InlineData("""{"path": "src"}""", "missing required argument 'pattern'")]
    public async Task InvokeAsync_BadArguments_IsAnError(string json, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args(json), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_LinesForm_ReadsPatternPathAndGlob()
    {
        // Arrange
        const string body = "def \\w+\\(\nsrc\n*.py";

        // Act
        var arguments = _tool.ParseText(body);
        var patternOnly = _tool.ParseText(" return a - b ");

        // Assert
        Assert.Equal("def \\w+\\(", arguments.GetString("pattern"));
        Assert.Equal("src", arguments.GetOptionalString("path"));
        Assert.Equal("*.py", arguments.GetOptionalString("glob"));
        Assert.Equal(" return a - b ", patternOnly.GetString("pattern"));
        Assert.False(patternOnly.Has("path"));
    }

    [Fact]
    public void ParseText_JsonForm_ReadsTheObject()
    {
        // Arrange
        const string body = """{"pattern": "x", "glob": "*.go"}""";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Equal("x", arguments.GetString("pattern"));
        Assert.Equal("*.go", arguments.GetOptionalString("glob"));
        Assert.Throws<ToolArgumentException>(() => _tool.ParseText(""));
    }
}
