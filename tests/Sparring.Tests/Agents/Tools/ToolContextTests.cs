using Sparring.Agents.Tools;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Agents.Tools;

public sealed class ToolContextTests : IAsyncLifetime
{
    /// <summary>The host folder behind the sandbox: no message may name it.</summary>
    private readonly TempDirectory _workspace = new("sparring-toolcontext-");
    private readonly List<ISandbox> _sandboxes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var sandbox in _sandboxes)
        {
            await sandbox.DisposeAsync();
        }

        _workspace.Dispose();
    }

    /// <summary>Relative needs nothing of the sandbox but where the workspace is mounted inside it.</summary>
    private async Task<ToolContext> ContextAsync(string mountPath = "/repo")
    {
        var sandbox = await new BubblewrapSandboxProvider().CreateAsync(_workspace.Path, new SandboxOptions { WorkspaceMountPath = mountPath });
        _sandboxes.Add(sandbox);
        return new ToolContext(sandbox);
    }

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
        var context = await ContextAsync();

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
        var context = await ContextAsync();

        // Act
        var error = Record.Exception(() => context.Relative(path));

        // Assert
        var refused = Assert.IsType<ToolArgumentException>(error);
        Assert.Equal($"path '{path}' is outside the repository /repo", refused.Message);
        Assert.DoesNotContain(_workspace.Path, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/calc.py\0.txt")]
    [InlineData("/repo/\0")]
    public async Task Relative_NulCharacter_IsRefused(string path)
    {
        // Arrange
        var context = await ContextAsync();

        // Act
        var error = Record.Exception(() => context.Relative(path));

        // Assert
        var refused = Assert.IsType<ToolArgumentException>(error);
        Assert.EndsWith("' contains a NUL character", refused.Message, StringComparison.Ordinal);
        Assert.Contains("\\0", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', refused.Message);
    }

    [Fact]
    public async Task Relative_ClimbsOutAndBackInByTheHostName_IsRefused()
    {
        // Arrange: the text leaves the workspace, even if on the host it would come back into it.
        var context = await ContextAsync();
        var path = "../" + Path.GetFileName(_workspace.Path) + "/a.py";

        // Act
        var error = Record.Exception(() => context.Relative(path));

        // Assert
        Assert.Equal($"path '{path}' is outside the repository /repo", Assert.IsType<ToolArgumentException>(error).Message);
    }

    [Fact]
    public async Task Relative_CustomMountPath_IsTheRootOfAbsolutePaths()
    {
        // Arrange
        var context = await ContextAsync("/work/project/");

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
