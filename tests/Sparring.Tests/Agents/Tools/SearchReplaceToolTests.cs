using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class SearchReplaceToolTests
{
    private readonly SearchReplaceTool _tool = new();

    private static string Block(string path, string search, string replace) =>
        $"### {path}\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE";

    [Fact]
    public void ParseText_WellFormedBlock_GivesPathAndWholeLineSections()
    {
        // Arrange
        var body = "```python\n### src/calc.py\n<<<<<<< SEARCH\ndef add(a, b):\n    return a - b\n=======\ndef add(a, b):\n    return a + b\n>>>>>>> REPLACE\n```";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Equal("src/calc.py", arguments.GetString("path"));
        Assert.Equal("def add(a, b):\n    return a - b\n", arguments.GetString("search"));
        Assert.Equal("def add(a, b):\n    return a + b\n", arguments.GetString("replace"));
    }

    [Fact]
    public void ParseText_EmptySearchAndReplaceWithDividerLine_KeepsTheDividerInReplace()
    {
        // Arrange
        const string body = "### docs/index.rst\n<<<<<<< SEARCH\n=======\nTitle\n=======\n>>>>>>> REPLACE";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Equal("", arguments.GetString("search"));
        Assert.Equal("Title\n=======\n", arguments.GetString("replace"));
    }

    [Theory]
    [InlineData("src/calc.py\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE", "`### path/to/file`")]
    [InlineData("### src/calc.py\na\n=======\nb\n>>>>>>> REPLACE", "must be `<<<<<<< SEARCH`")]
    [InlineData("### src/calc.py\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE", "followed by a `=======` line")]
    [InlineData("### src/calc.py\n<<<<<<< SEARCH\na\n=======\nb\n", "must end with a `>>>>>>> REPLACE` line")]
    [InlineData("### a.py\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n### b.py\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE", "only one search/replace block")]
    [InlineData("### a.py\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\nand then some prose", "unexpected text after")]
    [InlineData("", "`### path/to/file`")]
    public void ParseText_MalformedBlock_ThrowsWithTheExpectedForm(string body, string expected)
    {
        // Arrange
        var parse = () => _tool.ParseText(body);

        // Act
        var error = Record.Exception(parse);

        // Assert
        var argument = Assert.IsType<ToolArgumentException>(error);
        Assert.Contains(expected, argument.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_UniqueBlock_ReplacesItAndShowsTheRegion()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var arguments = _tool.ParseText(Block("src/calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n", workspace.Read("src/calc.py"));
        Assert.Contains("     2\t    return a + b\n", result.Output, StringComparison.Ordinal);
        Assert.Single(workspace.Context.EditHistory["src/calc.py"]);
    }

    [Fact]
    public async Task InvokeAsync_LastLineWithoutNewline_StillMatchesAndKeepsTheEnding()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("end.py", "a = 1\nb = 2"));
        var arguments = _tool.ParseText(Block("end.py", "b = 2\n", "b = 3\n"));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("a = 1\nb = 3", workspace.Read("end.py"));
    }

    [Fact]
    public async Task InvokeAsync_DeletingLines_RemovesThemWhole()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var arguments = _tool.ParseText(Block("src/calc.py", "\n\ndef sub(a, b):\n    return a - b\n", ""));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("def add(a, b):\n    return a - b\n", workspace.Read("src/calc.py"));
    }

    [Fact]
    public async Task InvokeAsync_NoMatch_IsAnErrorPointingAtTheLikelyPlace()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var arguments = _tool.ParseText(Block("src/calc.py", "def sub(a, b):\n  return a - b\n", "def sub(a, b):\n  return b - a\n"));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("SEARCH does not occur in /repo/src/calc.py", result.Output, StringComparison.Ordinal);
        Assert.Contains("line(s) 5", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Fact]
    public async Task InvokeAsync_SeveralMatches_IsAnErrorNamingTheLines()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var arguments = _tool.ParseText(Block("src/calc.py", "    return a - b\n", "    return 0\n"));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("occurs 2 times", result.Output, StringComparison.Ordinal);
        Assert.Contains("lines 2, 6", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Fact]
    public async Task InvokeAsync_EmptySearchOnMissingFile_CreatesItAndUndoDeletesIt()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var arguments = _tool.ParseText(Block("pkg/mul.py", "", "def mul(a, b):\n    return a * b\n"));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);
        var created = workspace.Read("pkg/mul.py");
        var undo = await new FileEditorTool().InvokeAsync(Args("""{"command": "undo_edit", "path": "pkg/mul.py"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Contains("Created /repo/pkg/mul.py (2 lines)", result.Output, StringComparison.Ordinal);
        Assert.Equal("def mul(a, b):\n    return a * b\n", created);
        Assert.False(undo.IsError, undo.Output);
        Assert.False(workspace.Exists("pkg/mul.py"));
    }

    [Theory]
    [InlineData("src/calc.py", "", "x = 1\n", "already exists and is not empty")]
    [InlineData("src/missing.py", "x = 1\n", "x = 2\n", "does not exist")]
    [InlineData("src/calc.py", "def add", "def add", "the same")]
    [InlineData("../../etc/passwd", "root", "toor", "outside the repository")]
    [InlineData("/etc/passwd", "root", "toor", "outside the repository")]
    [InlineData(".git/HEAD", "ref", "fer", "inside .git")]
    public async Task InvokeAsync_BadEdit_IsAnErrorAndChangesNothing(string path, string search, string replace, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();
        var head = workspace.Read(".git/HEAD");

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.FromStrings([new("path", path), new("search", search), new("replace", replace)]), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
        Assert.Equal(head, workspace.Read(".git/HEAD"));
        Assert.False(workspace.Exists("src/missing.py"));
    }

    [Fact]
    public async Task InvokeAsync_MissingArguments_IsAnError()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var noPath = await _tool.InvokeAsync(Args("""{"search": "a", "replace": "b"}"""), workspace.Context);
        var noSearch = await _tool.InvokeAsync(Args("""{"path": "src/calc.py", "replace": "b"}"""), workspace.Context);

        // Assert
        Assert.True(noPath.IsError);
        Assert.Contains("'path'", noPath.Output, StringComparison.Ordinal);
        Assert.True(noSearch.IsError);
        Assert.Contains("'search'", noSearch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_EditThatBreaksPython_IsRejectedAndTheFileUnchanged()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var arguments = _tool.ParseText(Block("src/calc.py", "def sub(a, b):\n", "def sub(a, b)\n"));

        // Act
        var result = await _tool.InvokeAsync(arguments, workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("NOT applied", result.Output, StringComparison.Ordinal);
        Assert.Contains("/repo/src/calc.py:5:", result.Output, StringComparison.Ordinal);
        Assert.Contains("     5\tdef sub(a, b)\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }
}
