using Sparring.Agents.Tools;
using Sparring.TestUtilities;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class FileEditorToolTests
{
    private readonly FileEditorTool _tool = new();

    [Fact]
    public async Task View_File_ShowsEveryLineNumberedLikeCatN()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "view", "path": "/repo/src/calc.py"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.StartsWith("Here's the result of running `cat -n` on /repo/src/calc.py:\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("     1\tdef add(a, b):\n     2\t    return a - b\n     3\t\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("     6\t    return a - b\n", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[5, -1]", "     5\tdef sub(a, b):\n     6\t    return a - b\n")]
    [InlineData("[1, 2]", "     1\tdef add(a, b):\n     2\t    return a - b\n")]
    [InlineData("[6, 60]", "     6\t    return a - b\n")]
    public async Task View_Range_ShowsOnlyThoseLines(string range, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args($$"""{"command": "view", "path": "src/calc.py", "view_range": {{range}}}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.EndsWith(":\n" + expected, result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[0, 3]", "start 0 is outside")]
    [InlineData("[9, 10]", "start 9 is outside the file's lines 1-6")]
    [InlineData("[4, 2]", "end 2 is before its start 4")]
    [InlineData("[1]", "two integers")]
    [InlineData("\"a\"", "must be a list of integers")]
    public async Task View_BadRange_IsAnError(string range, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args($$"""{"command": "view", "path": "src/calc.py", "view_range": {{range}}}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_Directory_ListsTwoLevelsWithoutHiddenItems()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "view", "path": "/repo"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        var lines = result.Output.Split('\n');
        Assert.Contains("up to 2 levels deep in /repo", lines[0], StringComparison.Ordinal);
        Assert.Equal(["/repo/README.md", "/repo/src/", "/repo/src/calc.py", "/repo/src/util/"], lines[1..]);
    }

    [Fact]
    public async Task View_MissingPathOrBinaryFile_IsAnError()
    {
        // Arrange
        using var workspace = await CreateAsync();
        await workspace.Sandbox.WriteFileAsync("blob.bin", new byte[] { 1, 0, 2, 0 });

        // Act
        var missing = await _tool.InvokeAsync(Args("""{"command": "view", "path": "src/nope.py"}"""), workspace.Context);
        var binary = await _tool.InvokeAsync(Args("""{"command": "view", "path": "blob.bin"}"""), workspace.Context);

        // Assert
        Assert.True(missing.IsError);
        Assert.Contains("/repo/src/nope.py does not exist", missing.Output, StringComparison.Ordinal);
        Assert.True(binary.IsError);
        Assert.Contains("binary", binary.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("view", "../../etc/passwd")]
    [InlineData("view", "/etc/passwd")]
    [InlineData("create", "../../etc/passwd")]
    [InlineData("create", "/etc/passwd")]
    [InlineData("str_replace", "/repo/../etc/passwd")]
    public async Task InvokeAsync_PathOutsideTheRepository_IsRefused(string command, string path)
    {
        // Arrange
        using var workspace = await CreateAsync();
        var before = File.ReadAllText("/etc/passwd");

        // Act
        var result = await _tool.InvokeAsync(
            ToolArguments.FromStrings([new("command", command), new("path", path), new("file_text", "x"), new("old_str", "root"), new("new_str", "toor")]),
            workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("outside the repository", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText("/etc/passwd"));
    }

    [Fact]
    public async Task View_SymlinkLeadingOutside_IsRefused()
    {
        // Arrange
        using var workspace = await CreateAsync();
        File.CreateSymbolicLink(Path.Combine(workspace.Repo.Path, "passwd"), "/etc/passwd");

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "view", "path": "passwd"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.DoesNotContain("root:", result.Output, StringComparison.Ordinal);
        Assert.Contains("outside the workspace", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_SymlinkToADirectoryOutside_IsRefusedWithoutListingIt()
    {
        // Arrange
        using var outside = new TempDirectory("sparring-outside-");
        outside.Write("host-only-file.txt", "secret");
        using var workspace = await CreateAsync();
        Directory.CreateSymbolicLink(Path.Combine(workspace.Repo.Path, "elsewhere"), outside.Path);

        // Act
        var listed = await _tool.InvokeAsync(Args("""{"command": "view", "path": "/repo/elsewhere"}"""), workspace.Context);
        var created = await _tool.InvokeAsync(Args("""{"command": "create", "path": "elsewhere/new.py", "file_text": "x = 1\n"}"""), workspace.Context);

        // Assert
        Assert.True(listed.IsError);
        Assert.Contains("outside the workspace", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("host-only-file", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(outside.Path, listed.Output, StringComparison.Ordinal);
        Assert.True(created.IsError);
        Assert.False(File.Exists(Path.Combine(outside.Path, "new.py")));
    }

    [Fact]
    public async Task Create_NewFileInNewFolder_WritesIt()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "create", "path": "/repo/pkg/new.py", "file_text": "X = 1\n"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("File created successfully at: /repo/pkg/new.py", result.Output);
        Assert.Equal("X = 1\n", workspace.Read("pkg/new.py"));
    }

    [Fact]
    public async Task Create_ExistingFile_RefusesAndLeavesItAlone()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "create", "path": "src/calc.py", "file_text": "gone\n"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("already exists", result.Output, StringComparison.Ordinal);
        Assert.Contains("str_replace", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Theory]
    [InlineData(".git/config")]
    [InlineData("/repo/.git/hooks/pre-commit")]
    [InlineData("/repo")]
    public async Task Create_InsideGitOrTheRoot_IsRefused(string path)
    {
        // Arrange
        using var workspace = await CreateAsync();
        var config = workspace.Read(".git/config");

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.FromStrings([new("command", "create"), new("path", path), new("file_text", "[core]\n")]), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Matches("inside .git|repository root", result.Output);
        Assert.Equal(config, workspace.Read(".git/config"));
        Assert.False(workspace.Exists(".git/hooks/pre-commit"));
    }

    [Fact]
    public async Task StrReplace_UniqueMatch_EditsAndShowsANumberedSnippet()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(
            Args("""{"command": "str_replace", "path": "src/calc.py", "old_str": "def add(a, b):\n    return a - b", "new_str": "def add(a, b):\n    return a + b"}"""),
            workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal(Calc.Replace("return a - b\n\n", "return a + b\n\n", StringComparison.Ordinal), workspace.Read("src/calc.py"));
        Assert.Contains("has been edited", result.Output, StringComparison.Ordinal);
        Assert.Contains("     2\t    return a + b\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("     6\t    return a - b\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrReplace_NoMatch_IsAnErrorAndChangesNothing()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "str_replace", "path": "src/calc.py", "old_str": "return a * b", "new_str": "return 0"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("did not appear verbatim in /repo/src/calc.py", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Fact]
    public async Task StrReplace_SeveralMatches_NamesTheirLinesAndChangesNothing()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "str_replace", "path": "src/calc.py", "old_str": "    return a - b", "new_str": "    return 0"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("occurs 2 times", result.Output, StringComparison.Ordinal);
        Assert.Contains("lines 2, 6", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Fact]
    public async Task StrReplace_CrlfFile_MatchesLfTextAndKeepsCrlf()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("win.py", "x = 1\r\ny = 2\r\n"));

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "str_replace", "path": "win.py", "old_str": "x = 1\ny = 2", "new_str": "x = 1\ny = 3"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("x = 1\r\ny = 3\r\n", workspace.Read("win.py"));
    }

    [Theory]
    [InlineData(0, "import math\ndef add(a, b):\n")]
    [InlineData(2, "    return a - b\nimport math\n\n")]
    [InlineData(6, "def sub(a, b):\n    return a - b\nimport math\n")]
    public async Task Insert_AfterLine_PutsTheLinesThere(int line, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args($$"""{"command": "insert", "path": "src/calc.py", "insert_line": {{line}}, "new_str": "import math\n"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        var text = workspace.Read("src/calc.py");
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Equal(7, text.Split('\n').Length - 1);
        Assert.Contains($"{line + 1,6}\timport math", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insert_AtEndOfFileWithoutFinalNewline_StartsANewLine()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("tail.py", "a = 1\nb = 2"));

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "insert", "path": "tail.py", "insert_line": 2, "new_str": "c = 3"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("a = 1\nb = 2\nc = 3", workspace.Read("tail.py"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7)]
    public async Task Insert_LineOutOfRange_IsAnError(int line)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args($$"""{"command": "insert", "path": "src/calc.py", "insert_line": {{line}}, "new_str": "x = 1"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("outside the range 0-6", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Fact]
    public async Task UndoEdit_AfterTwoReplacements_RestoresOneStepAtATime()
    {
        // Arrange
        using var workspace = await CreateAsync();
        await _tool.InvokeAsync(Args("""{"command": "str_replace", "path": "src/calc.py", "old_str": "def add", "new_str": "def plus"}"""), workspace.Context);
        var afterFirst = workspace.Read("src/calc.py");
        await _tool.InvokeAsync(Args("""{"command": "str_replace", "path": "src/calc.py", "old_str": "def sub", "new_str": "def minus"}"""), workspace.Context);

        // Act
        var first = await _tool.InvokeAsync(Args("""{"command": "undo_edit", "path": "src/calc.py"}"""), workspace.Context);
        var afterUndo = workspace.Read("src/calc.py");
        var second = await _tool.InvokeAsync(Args("""{"command": "undo_edit", "path": "/repo/src/calc.py"}"""), workspace.Context);
        var third = await _tool.InvokeAsync(Args("""{"command": "undo_edit", "path": "src/calc.py"}"""), workspace.Context);

        // Assert
        Assert.False(first.IsError, first.Output);
        Assert.Equal(afterFirst, afterUndo);
        Assert.Contains("undone successfully", first.Output, StringComparison.Ordinal);
        Assert.False(second.IsError, second.Output);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
        Assert.True(third.IsError);
        Assert.Contains("no edit history", third.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndoEdit_AfterCreate_DeletesTheFile()
    {
        // Arrange
        using var workspace = await CreateAsync();
        await _tool.InvokeAsync(Args("""{"command": "create", "path": "notes/todo.txt", "file_text": "fix it\n"}"""), workspace.Context);
        var created = workspace.Exists("notes/todo.txt");

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "undo_edit", "path": "notes/todo.txt"}"""), workspace.Context);

        // Assert
        Assert.True(created);
        Assert.False(result.IsError, result.Output);
        Assert.Contains("deleted", result.Output, StringComparison.Ordinal);
        Assert.False(workspace.Exists("notes/todo.txt"));
    }

    [Theory]
    [InlineData("""{"path": "src/calc.py"}""", "missing required argument 'command'")]
    [InlineData("""{"command": "view"}""", "missing required argument 'path'")]
    [InlineData("""{"command": "delete", "path": "src/calc.py"}""", "unknown command 'delete'")]
    [InlineData("""{"command": "create", "path": "x.py"}""", "'file_text'")]
    [InlineData("""{"command": "str_replace", "path": "src/calc.py", "new_str": "x"}""", "'old_str'")]
    [InlineData("""{"command": "str_replace", "path": "src/calc.py", "old_str": "", "new_str": "x"}""", "old_str is empty")]
    [InlineData("""{"command": "str_replace", "path": "src/calc.py", "old_str": "def", "new_str": "def"}""", "the same")]
    [InlineData("""{"command": "str_replace", "path": "src/gone.py", "old_str": "a", "new_str": "b"}""", "does not exist")]
    [InlineData("""{"command": "insert", "path": "src/calc.py", "new_str": "x"}""", "'insert_line'")]
    [InlineData("""{"command": "insert", "path": "src/calc.py", "insert_line": 1}""", "'new_str'")]
    [InlineData("""{"command": "view", "path": "src", "view_range": [1, 2]}""", "not allowed when /repo/src is a directory")]
    public async Task InvokeAsync_BadArguments_ReturnsAnErrorTheModelCanRead(string json, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args(json), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.StartsWith("str_replace_editor: ", result.Output, StringComparison.Ordinal);
        Assert.Equal(Calc, workspace.Read("src/calc.py"));
    }

    [Fact]
    public void ParseText_JsonBody_GivesTheArguments()
    {
        // Arrange
        const string body = """{"command": "view", "path": "/repo/src", "view_range": [1, 5]}""";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Equal("view", arguments.GetString("command"));
        Assert.Equal([1, 5], arguments.GetOptionalIntList("view_range"));
        Assert.Throws<ToolArgumentException>(() => _tool.ParseText("view /repo/src"));
    }

    public static TheoryData<string, string, string, string> BrokenEdits => new()
    {
        { "mod.py", "def f(x):\n    return x\n", "    return x\n", "    return (x\n" },
        { "main.go", "package main\n\nfunc main() {\n\tprintln(1)\n}\n", "\tprintln(1)\n", "\tprintln(1\n" },
        { "app.js", "function f(x) {\n  return x;\n}\n", "  return x;\n", "  return x +;\n" },
        { "lib.mjs", "export const f = (x) => x;\n", "(x) => x;", "(x) => ;" },
        { "Program.cs", "class P\n{\n    static int F() => 1;\n}\n", "=> 1;", "=> ;" },
    };

    [Theory]
    [MemberData(nameof(BrokenEdits))]
    public async Task StrReplace_EditThatBreaksSyntax_IsRejectedWithTheLinterMessage(string file, string content, string oldStr, string newStr)
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write(file, content));

        // Act
        var result = await _tool.InvokeAsync(
            ToolArguments.FromStrings([new("command", "str_replace"), new("path", file), new("old_str", oldStr), new("new_str", newStr)]), workspace.Context);

        // Assert
        Assert.True(result.IsError, result.Output);
        Assert.Contains("NOT applied", result.Output, StringComparison.Ordinal);
        Assert.Matches($"/repo/{file.Replace(".", "\\.", StringComparison.Ordinal)}:\\d+:\\d+: ", result.Output);
        Assert.Contains(newStr.Trim(), result.Output, StringComparison.Ordinal);
        Assert.Equal(content, workspace.Read(file));
        Assert.False(workspace.Context.EditHistory.ContainsKey(file));
    }

    [Fact]
    public async Task StrReplace_FileAlreadyBroken_IsAppliedWithANote()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write("bad.py", "def f(:\n    return 1\n"));

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "str_replace", "path": "bad.py", "old_str": "return 1", "new_str": "return 2"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.Equal("def f(:\n    return 2\n", workspace.Read("bad.py"));
        Assert.Contains("still has syntax errors", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BrokenPythonFile_IsNotCreated()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "create", "path": "new.py", "file_text": "if True\n    pass\n"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("the file was not created", result.Output, StringComparison.Ordinal);
        Assert.Contains("/repo/new.py:1:", result.Output, StringComparison.Ordinal);
        Assert.False(workspace.Exists("new.py"));
    }

    [Fact]
    public async Task StrReplace_LintingTurnedOffOrToolchainMissing_AppliesTheEdit()
    {
        // Arrange
        using var off = await CreateAsync(options: new ToolOptions { LintEdits = false });
        using var missing = await CreateAsync(linter: new SyntaxLinter("/nonexistent/python3", null, null));
        var arguments = Args("""{"command": "str_replace", "path": "src/calc.py", "old_str": "def add(a, b):", "new_str": "def add(a, b:"}""");

        // Act
        var withoutLint = await _tool.InvokeAsync(arguments, off.Context);
        var withoutPython = await _tool.InvokeAsync(arguments, missing.Context);

        // Assert
        Assert.False(withoutLint.IsError, withoutLint.Output);
        Assert.False(withoutPython.IsError, withoutPython.Output);
        Assert.StartsWith("def add(a, b:\n", off.Read("src/calc.py"), StringComparison.Ordinal);
        Assert.StartsWith("def add(a, b:\n", missing.Read("src/calc.py"), StringComparison.Ordinal);
    }
}
