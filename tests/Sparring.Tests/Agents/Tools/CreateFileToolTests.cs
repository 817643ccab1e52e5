using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class CreateFileToolTests
{
    private readonly CreateFileTool _tool = new();

    [Fact]
    public void ParseText_PathThenContent_SplitsThemAndEndsWithNewline()
    {
        // Arrange
        const string body = "tests/test_add.py\nfrom calc import add\n\ndef test_add():\n    assert add(2, 3) == 5";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Equal("tests/test_add.py", arguments.GetString("path"));
        Assert.Equal("from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n", arguments.GetString("content"));
    }

    [Theory]
    [InlineData("empty.txt", "empty.txt", "")]
    [InlineData("### /repo/a.txt\nx", "/repo/a.txt", "x\n")]
    public void ParseText_EdgeForms_AreRead(string body, string path, string content)
    {
        // Arrange
        var parse = () => _tool.ParseText(body);

        // Act
        var arguments = parse();

        // Assert
        Assert.Equal(path, arguments.GetString("path"));
        Assert.Equal(content, arguments.GetString("content"));
    }

    [Fact]
    public void ParseText_EmptyBody_Throws()
    {
        // Arrange
        const string body = "\n\n";

        // Act
        var error = Record.Exception(() => _tool.ParseText(body));

        // Assert
        Assert.Contains("first line", Assert.IsType<ToolArgumentException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NewFileInNewFolders_CreatesIt()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText("a/b/c.py\nX = 1"), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("Created /repo/a/b/c.py (1 lines).", result.Output);
        Assert.Equal("X = 1\n", workspace.Read("a/b/c.py"));
    }

    [Fact]
    public async Task InvokeAsync_ExistingFile_OverwritesAndUndoRestoresIt()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.FromStrings([new("path", "/repo/src/calc.py"), new("content", "def add(a, b):\n    return a + b\n")]), workspace.Context);
        var overwritten = workspace.Read("src/calc.py");
        var undo = await new FileEditorTool().InvokeAsync(Args("""{"command": "undo_edit", "path": "src/calc.py"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.StartsWith("Overwrote /repo/src/calc.py", result.Output, StringComparison.Ordinal);
        Assert.Equal("def add(a, b):\n    return a + b\n", overwritten);
        Assert.False(undo.IsError, undo.Output);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Theory]
    [InlineData("../../etc/passwd", "outside the repository")]
    [InlineData("/etc/passwd", "outside the repository")]
    [InlineData(".git/config", "inside .git")]
    [InlineData("src", "is a directory")]
    public async Task InvokeAsync_ForbiddenPath_IsRefused(string path, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();
        var passwd = File.ReadAllText("/etc/passwd");
        var config = workspace.Read(".git/config");

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.FromStrings([new("path", path), new("content", "pwned\n")]), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Equal(passwd, File.ReadAllText("/etc/passwd"));
        Assert.Equal(config, workspace.Read(".git/config"));
    }

    [Fact]
    public async Task InvokeAsync_MissingContent_IsAnError()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"path": "x.py"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("missing required argument 'content'", result.Output, StringComparison.Ordinal);
        Assert.False(workspace.Exists("x.py"));
    }

    [Fact]
    public async Task InvokeAsync_OverwriteThatBreaksPython_IsRejectedAndTheFileUnchanged()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText("src/calc.py\ndef add(a, b):\nreturn a + b"), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("IndentationError", result.Output, StringComparison.Ordinal);
        Assert.Contains("/repo/src/calc.py:2:", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
        Assert.False(workspace.Context.EditHistory.ContainsKey("src/calc.py"));
    }

    [Fact]
    public async Task InvokeAsync_NewBrokenGoFile_IsNotCreated()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText("cmd/main.go\npackage main\n\nfunc main() {\n"), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("the file was not created", result.Output, StringComparison.Ordinal);
        Assert.False(workspace.Exists("cmd/main.go"));
    }
}
