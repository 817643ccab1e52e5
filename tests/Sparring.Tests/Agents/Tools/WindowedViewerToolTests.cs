using System.Globalization;
using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class WindowedViewerToolTests
{
    private readonly WindowedViewerTool _tool = new();

    private static readonly string Big = string.Concat(Enumerable.Range(1, 312).Select(i => string.Create(CultureInfo.InvariantCulture, $"line {i}\n")));

    private static Task<ToolWorkspace> BigWorkspaceAsync() => CreateAsync(r => r.Write("x.py", Big));

    [Fact]
    public async Task Open_LongFile_ShowsTheFirstWindowWithHeaderAndCounts()
    {
        // Arrange
        using var workspace = await BigWorkspaceAsync();

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText("open /repo/x.py"), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal("[File: /repo/x.py (312 lines total)]", lines[0]);
        Assert.Equal("(0 more lines above)", lines[1]);
        Assert.Equal("1:line 1", lines[2]);
        Assert.Equal("100:line 100", lines[101]);
        Assert.Equal("(212 more lines below)", lines[102]);
        Assert.Equal(103, lines.Length);
        Assert.Equal(("x.py", 1), workspace.Context.Viewer);
    }

    [Fact]
    public async Task ScrollDownThenUp_MovesByOneWindowAndStopsAtTheEnd()
    {
        // Arrange
        using var workspace = await BigWorkspaceAsync();
        await _tool.InvokeAsync(_tool.ParseText("open x.py"), workspace.Context);

        // Act
        var down = await _tool.InvokeAsync(_tool.ParseText("scroll_down"), workspace.Context);
        var further = await _tool.InvokeAsync(_tool.ParseText("scroll_down"), workspace.Context);
        var end = await _tool.InvokeAsync(_tool.ParseText("scroll_down"), workspace.Context);
        var up = await _tool.InvokeAsync(_tool.ParseText("scroll_up"), workspace.Context);

        // Assert
        Assert.Contains("(100 more lines above)\n101:line 101\n", down.Output, StringComparison.Ordinal);
        Assert.Contains("(200 more lines above)\n201:line 201\n", further.Output, StringComparison.Ordinal);
        Assert.Contains("(212 more lines above)\n213:line 213\n", end.Output, StringComparison.Ordinal);
        Assert.EndsWith("312:line 312\n(0 more lines below)\n", end.Output, StringComparison.Ordinal);
        Assert.Contains("(112 more lines above)\n113:line 113\n", up.Output, StringComparison.Ordinal);
        Assert.Equal(("x.py", 113), workspace.Context.Viewer);
    }

    [Fact]
    public async Task Goto_Line_CentresTheWindowOnIt()
    {
        // Arrange
        using var workspace = await BigWorkspaceAsync();
        await _tool.InvokeAsync(Args("""{"command": "open", "path": "x.py"}"""), workspace.Context);

        // Act
        var middle = await _tool.InvokeAsync(_tool.ParseText("goto 200"), workspace.Context);
        var nearTop = await _tool.InvokeAsync(Args("""{"command": "goto", "line": 3}"""), workspace.Context);

        // Assert
        Assert.Contains("(149 more lines above)\n150:line 150\n", middle.Output, StringComparison.Ordinal);
        Assert.Contains("200:line 200\n", middle.Output, StringComparison.Ordinal);
        Assert.Contains("(63 more lines below)", middle.Output, StringComparison.Ordinal);
        Assert.Contains("(0 more lines above)\n1:line 1\n", nearTop.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithLineNearTheEnd_ShowsAFullLastWindow()
    {
        // Arrange
        using var workspace = await BigWorkspaceAsync();

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText("open x.py 310"), workspace.Context);

        // Assert
        Assert.Contains("(212 more lines above)\n213:line 213\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(("x.py", 213), workspace.Context.Viewer);
    }

    [Fact]
    public async Task Open_SmallOrEmptyFile_ShowsItAll()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("empty.py", ""));

        // Act
        var small = await _tool.InvokeAsync(_tool.ParseText("open src/calc.py"), workspace.Context);
        var empty = await _tool.InvokeAsync(_tool.ParseText("open empty.py"), workspace.Context);

        // Assert
        Assert.Equal("[File: /repo/src/calc.py (6 lines total)]\n(0 more lines above)\n1:def add(a, b):\n2:    return a - b\n3:\n4:\n5:def sub(a, b):\n6:    return a - b\n(0 more lines below)\n", small.Output);
        Assert.Equal("[File: /repo/empty.py (0 lines total)]\n(the file is empty)\n", empty.Output);
    }

    [Theory]
    [InlineData("""{"command": "goto", "line": 5}""", "no file is open")]
    [InlineData("""{"command": "scroll_down"}""", "no file is open")]
    [InlineData("""{"command": "open", "path": "missing.py"}""", "/repo/missing.py does not exist")]
    [InlineData("""{"command": "open", "path": "src"}""", "is a directory")]
    [InlineData("""{"command": "open", "path": "/etc/passwd"}""", "outside the repository")]
    [InlineData("""{"command": "open", "path": "../../etc/passwd"}""", "outside the repository")]
    [InlineData("""{"command": "open", "path": "src/calc.py", "line": 99}""", "line 99 is outside /repo/src/calc.py, which has 6 lines")]
    [InlineData("""{"command": "close"}""", "unknown command 'close'")]
    [InlineData("""{"command": "open"}""", "missing required argument 'path'")]
    public async Task InvokeAsync_BadCommand_IsAnError(string json, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args(json), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Null(workspace.Context.Viewer);
    }

    [Theory]
    [InlineData("open src/my file.py 40", "open", "src/my file.py", "40")]
    [InlineData("open src/a.py", "open", "src/a.py", null)]
    [InlineData("  goto 120\n", "goto", null, "120")]
    [InlineData("scroll_up", "scroll_up", null, null)]
    [InlineData("""{"command": "scroll_down"}""", "scroll_down", null, null)]
    public void ParseText_CommandLine_IsRead(string body, string command, string? path, string? line)
    {
        // Arrange
        var parse = () => _tool.ParseText(body);

        // Act
        var arguments = parse();

        // Assert
        Assert.Equal(command, arguments.GetString("command"));
        Assert.Equal(path, arguments.GetOptionalString("path"));
        Assert.Equal(line, arguments.GetOptionalString("line"));
    }

    [Theory]
    [InlineData("", "the body must be a command")]
    [InlineData("open", "open needs a path")]
    [InlineData("goto", "goto needs one line number")]
    [InlineData("scroll_down 5", "unknown viewer command")]
    [InlineData("edit x.py", "unknown viewer command")]
    public void ParseText_BadCommandLine_Throws(string body, string expected)
    {
        // Arrange
        var parse = () => _tool.ParseText(body);

        // Act
        var error = Record.Exception(parse);

        // Assert
        Assert.Contains(expected, Assert.IsType<ToolArgumentException>(error).Message, StringComparison.Ordinal);
    }
}
