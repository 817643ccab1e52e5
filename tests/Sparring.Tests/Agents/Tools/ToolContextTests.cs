using Sparring.Agents.Tools;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Agents.Tools;

public sealed class ToolContextTests
{
    [Theory]
    [InlineData("src/calc.py", "src/calc.py")]
    [InlineData("/repo/src/calc.py", "src/calc.py")]
    [InlineData("/repo", "")]
    [InlineData("/repo/", "")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData(".", "")]
    [InlineData("./", "")]
    [InlineData("  src/calc.py \n", "src/calc.py")]
    [InlineData(" /repo/src ", "src")]
    [InlineData("./src/./calc.py", "src/calc.py")]
    [InlineData("src//util///strings.py", "src/util/strings.py")]
    [InlineData("/repo//src/calc.py", "src/calc.py")]
    [InlineData("src/util/../calc.py", "src/calc.py")]
    [InlineData("/repo/src/../README.md", "README.md")]
    [InlineData("src/..", "")]
    [InlineData("src/../", "")]
    [InlineData("src/", "src/")]
    [InlineData("/repo/src/util/", "src/util/")]
    [InlineData("src/util/..//", "src/")]
    [InlineData("...", "...")]
    [InlineData("a/..b/c..", "a/..b/c..")]
    [InlineData("new dir/my file.py", "new dir/my file.py")]
    public async Task Relative_PathInsideTheWorkspace_ReturnsItWorkspaceRelative(string path, string expected)
    {
        // Arrange
        using var workspace = new TempDirectory("sparring-toolcontext-");
        await using var sandbox = await new BubblewrapSandboxProvider().CreateAsync(workspace.Path, new SandboxOptions());
        var context = new ToolContext(sandbox);

        // Act
        var relative = context.Relative(path);

        // Assert
        Assert.Equal(expected, relative);
        Assert.Equal(expected.Length == 0 ? "/repo" : "/repo/" + expected, context.Display(relative));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("src/util/../../..")]
    [InlineData(" ../etc/passwd ")]
    [InlineData("/etc/passwd")]
    [InlineData("/")]
    [InlineData("/repo/..")]
    [InlineData("/repo/../etc/passwd")]
    [InlineData("/repo/src/../../x")]
    [InlineData("/repository/x")]
    [InlineData("/rep")]
    public async Task Relative_PathLeavingTheWorkspace_ThrowsWithTheRepositoryRoot(string path)
    {
        // Arrange
        using var workspace = new TempDirectory("sparring-toolcontext-");
        await using var sandbox = await new BubblewrapSandboxProvider().CreateAsync(workspace.Path, new SandboxOptions());
        var context = new ToolContext(sandbox);

        // Act
        var error = Record.Exception(() => context.Relative(path));

        // Assert
        var refused = Assert.IsType<ToolArgumentException>(error);
        Assert.Equal($"path '{path}' is outside the repository /repo", refused.Message);
        Assert.DoesNotContain(workspace.Path, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relative_ClimbsOutAndBackInByTheHostName_IsRefused()
    {
        // Arrange: the text leaves the workspace, even if on the host it would come back into it.
        using var workspace = new TempDirectory("sparring-toolcontext-");
        await using var sandbox = await new BubblewrapSandboxProvider().CreateAsync(workspace.Path, new SandboxOptions());
        var context = new ToolContext(sandbox);
        var path = "../" + Path.GetFileName(workspace.Path) + "/a.py";

        // Act
        var error = Record.Exception(() => context.Relative(path));

        // Assert
        Assert.Equal($"path '{path}' is outside the repository /repo", Assert.IsType<ToolArgumentException>(error).Message);
    }

    [Fact]
    public async Task Relative_CustomMountPath_IsTheRootOfAbsolutePaths()
    {
        // Arrange
        using var workspace = new TempDirectory("sparring-toolcontext-");
        await using var sandbox = await new BubblewrapSandboxProvider().CreateAsync(workspace.Path, new SandboxOptions { WorkspaceMountPath = "/work/project/" });
        var context = new ToolContext(sandbox);

        // Act
        var inside = context.Relative("/work/project/lib/../a.py");
        var root = context.Relative("/work/project");
        var relative = context.Relative("lib/a.py");
        var outside = Record.Exception(() => context.Relative("/repo/a.py"));
        var sibling = Record.Exception(() => context.Relative("/work/projectile/a.py"));

        // Assert
        Assert.Equal("a.py", inside);
        Assert.Equal("", root);
        Assert.Equal("lib/a.py", relative);
        Assert.Equal("path '/repo/a.py' is outside the repository /work/project", Assert.IsType<ToolArgumentException>(outside).Message);
        Assert.IsType<ToolArgumentException>(sibling);
        Assert.Equal("/work/project/lib/a.py", context.Display(relative));
    }
}
