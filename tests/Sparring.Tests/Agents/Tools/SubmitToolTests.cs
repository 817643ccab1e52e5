using Sparring.Agents.Tools;
using Sparring.Sandboxes;
using Sparring.TestUtilities;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class SubmitToolTests
{
    private readonly SubmitTool _tool = new();

    [Fact]
    public async Task InvokeAsync_CommittedStagedAndNewFiles_PatchAppliesToAFreshCopyOfTheStart()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write(".gitignore", "*.log\n"));
        workspace.Repo.Write("src/calc.py", Calc.Replace("return a - b\n\n", "return a + b\n\n", StringComparison.Ordinal)).Commit("the model committed");
        workspace.Repo.Write("README.md", "# Calc, fixed\n").Git("add", "README.md");
        workspace.Repo.Write("src/mul.py", "def mul(a, b):\n    return a * b\n").Write("debug.log", "noise\n");
        await workspace.Sandbox.WriteFileAsync("assets/logo.bin", new byte[] { 0, 1, 2, 255, 0, 7 });

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.Empty, workspace.Context);

        // Assert
        Assert.False(result.IsError, result.Output);
        Assert.True(result.Submitted);
        var patch = result.Submission!;
        Assert.Contains("diff --git a/src/mul.py b/src/mul.py\nnew file mode 100644", patch, StringComparison.Ordinal);
        Assert.Contains("+    return a + b", patch, StringComparison.Ordinal);
        Assert.Contains("+# Calc, fixed", patch, StringComparison.Ordinal);
        Assert.Contains("GIT binary patch", patch, StringComparison.Ordinal);
        Assert.DoesNotContain("debug.log", patch, StringComparison.Ordinal);
        Assert.Equal("Submitted a patch changing 4 files: README.md, assets/logo.bin, src/calc.py, src/mul.py.", result.Output);

        using var copy = new TempDirectory();
        TempGitRepo.RunGit(copy.Path, ["clone", "--quiet", workspace.Repo.Path, "fresh"]);
        var fresh = Path.Combine(copy.Path, "fresh");
        TempGitRepo.RunGit(fresh, ["checkout", "--quiet", workspace.StartCommit]);
        var patchFile = copy.Write("submission.patch", patch);
        TempGitRepo.RunGit(fresh, ["apply", "--check", patchFile]);
        TempGitRepo.RunGit(fresh, ["apply", patchFile]);
        foreach (var file in new[] { "src/calc.py", "src/mul.py", "README.md", "assets/logo.bin" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(workspace.Repo.Path, file)), File.ReadAllBytes(Path.Combine(fresh, file)));
        }

        // The model's own index is untouched: README.md is still the only staged file.
        Assert.Equal("README.md\n", workspace.Repo.Git("diff", "--cached", "--name-only"));
    }

    [Fact]
    public async Task InvokeAsync_NoChanges_IsAnErrorAndDoesNotSubmit()
    {
        // Arrange
        using var workspace = await CreateAsync(r => r.Write(".gitignore", "*.log\n"));
        workspace.Repo.Write("ignored.log", "only ignored output\n");

        // Act
        var result = await _tool.InvokeAsync(_tool.ParseText(""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.False(result.Submitted);
        Assert.Null(result.Submission);
        Assert.Contains("nothing to submit", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NoStartCommit_DiffsAgainstHead()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var context = new ToolContext(workspace.Sandbox);
        workspace.Repo.Delete("README.md");

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.Empty, context);

        // Assert
        Assert.True(result.Submitted, result.Output);
        Assert.Contains("diff --git a/README.md b/README.md\ndeleted file mode 100644", result.Submission, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_RepositorySettingsThatReshapeDiffs_AreOverridden()
    {
        // Arrange
        using var workspace = await CreateAsync();
        workspace.Repo.Git("config", "diff.noprefix", "true");
        workspace.Repo.Git("config", "diff.external", "/bin/false");
        workspace.Repo.Write("src/calc.py", "X = 1\n");

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.Empty, workspace.Context);

        // Assert
        Assert.True(result.Submitted, result.Output);
        Assert.StartsWith("diff --git a/src/calc.py b/src/calc.py\n", result.Submission, StringComparison.Ordinal);
        Assert.Contains("+X = 1", result.Submission, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_UnknownStartCommit_IsAnError()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var context = new ToolContext(workspace.Sandbox) { StartCommit = new string('0', 40) };

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.Empty, context);

        // Assert
        Assert.True(result.IsError);
        Assert.False(result.Submitted);
        Assert.Contains("could not be computed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_AnyBody_HasNoArguments()
    {
        // Arrange
        const string body = "I am done.";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Empty(arguments.Values);
        Assert.Contains("<tool: submit>\n</tool>", _tool.TextUsage, StringComparison.Ordinal);
        Assert.Equal("object", _tool.ParametersSchema.GetProperty("type").GetString());
    }
}
