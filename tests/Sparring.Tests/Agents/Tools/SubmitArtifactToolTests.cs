using Sparring.Injection;
using Sparring.Agents.Tools;
using Sparring.Artifacts;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class SubmitArtifactToolTests
{
    private readonly SubmitArtifactTool _tool = new();

    private static async Task<ToolWorkspace> WithArtifactAsync(params string[] leaveOut)
    {
        var workspace = await CreateAsync();
        var files = new Dictionary<string, string>
        {
            [BugArtifactFiles.BugInject] = "diff --git a/src/calc.py b/src/calc.py\n",
            [BugArtifactFiles.TestWeaken] = "diff --git a/tests/test_calc.py b/tests/test_calc.py\n",
            [BugArtifactFiles.TestFilesList] = "tests/test_calc.py\n",
            [BugArtifactFiles.TestScript] = "#!/bin/bash\npytest -q\n",
        };
        foreach (var (name, content) in files.Where(f => !leaveOut.Contains(f.Key)))
        {
            workspace.Repo.Write($"{SubmitArtifactTool.ArtifactDirectory}/{name}", content);
        }

        return workspace;
    }

    [Fact]
    public async Task InvokeAsync_CompleteArtifact_SubmitsTheDirectory()
    {
        // Arrange
        using var workspace = await WithArtifactAsync();

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText(""), workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.True(result.Submitted);
        Assert.Equal(".sparring-artifact", result.Submission);
        Assert.Contains("/repo/.sparring-artifact", result.Output, StringComparison.Ordinal);
        Assert.Contains("test_script.sh (", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("test_parser.py", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_OptionalParserPresent_IsListed()
    {
        // Arrange
        using var workspace = await WithArtifactAsync();
        workspace.Repo.Write(".sparring-artifact/test_parser.py", "print('{}')\n");

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.Empty, workspace.Context);

        // Assert
        Assert.True(result.Submitted, result.Output);
        Assert.Contains("test_parser.py (", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BugArtifactFiles.BugInject)]
    [InlineData(BugArtifactFiles.TestWeaken)]
    [InlineData(BugArtifactFiles.TestFilesList)]
    [InlineData(BugArtifactFiles.TestScript)]
    public async Task InvokeAsync_RequiredFileMissing_IsAnErrorNamingIt(string missing)
    {
        // Arrange
        using var workspace = await WithArtifactAsync(missing);

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.Empty, workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.False(result.Submitted);
        Assert.Contains($"{missing} is missing (expected at /repo/.sparring-artifact/{missing})", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_EmptyRequiredFileOrNoDirectory_IsAnErrorNamingTheFiles()
    {
        // Arrange
        using var empty = await WithArtifactAsync();
        empty.Repo.Write(".sparring-artifact/test_script.sh", " \n");
        using var none = await CreateAsync();

        // Act
        var emptyResult = await _tool.InvokeAsync(ToolArguments.Empty, empty.Context);
        var noneResult = await _tool.InvokeAsync(ToolArguments.Empty, none.Context);

        // Assert
        Assert.True(emptyResult.IsError);
        Assert.Contains("test_script.sh is empty", emptyResult.Output, StringComparison.Ordinal);
        Assert.True(noneResult.IsError);
        Assert.Contains("bug_inject.diff is missing", noneResult.Output, StringComparison.Ordinal);
        Assert.Contains("test_files.txt is missing", noneResult.Output, StringComparison.Ordinal);
    }
}
