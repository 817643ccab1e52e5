using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Sandboxes;

/// <summary><see cref="ISandbox.GetPathKindAsync"/>: what a workspace path names, and nothing about the host.</summary>
public abstract partial class SandboxConformanceTests
{
    [Fact]
    public async Task GetPathKindAsync_WorkspacePaths_ReportsDirectoryFileOrMissing()
    {
        // Arrange
        Workspace.Write("src/lib/code.txt", "code");
        Directory.CreateSymbolicLink(Path.Combine(Workspace.Path, "alias"), "src");
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "code-link"), "src/lib/code.txt");
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "dangling"), "src/nothing.txt");
        await using var sandbox = await OpenAsync();
        var made = await sandbox.ExecAsync(ExecRequest.Shell("mkdir empty && echo x > made-inside.txt && mkfifo pipe"));
        (string Path, SandboxPathKind Kind)[] expected =
        [
            (".", SandboxPathKind.Directory),
            ("src", SandboxPathKind.Directory),
            ("src/", SandboxPathKind.Directory),
            ("src/lib/code.txt", SandboxPathKind.File),
            ("./src/../src/lib/code.txt", SandboxPathKind.File),
            ("alias", SandboxPathKind.Directory),
            ("alias/lib/code.txt", SandboxPathKind.File),
            ("code-link", SandboxPathKind.File),
            ("dangling", SandboxPathKind.Missing),
            ("missing.txt", SandboxPathKind.Missing),
            ("no/such/folder", SandboxPathKind.Missing),
            ("empty", SandboxPathKind.Directory),
            ("made-inside.txt", SandboxPathKind.File),
            ("pipe", SandboxPathKind.File),
        ];

        // Act
        var actual = new List<(string Path, SandboxPathKind Kind)>();
        foreach (var (path, _) in expected)
        {
            actual.Add((path, await sandbox.GetPathKindAsync(path)));
        }

        // Assert
        Assert.Equal(0, made.ExitCode);
        Assert.Equal(expected, actual);
        Assert.False(File.Exists(Path.Combine(Workspace.Path, "src/nothing.txt")), "asking created the link's target");
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../")]
    [InlineData("sub/../..")]
    [InlineData("sub/../../outside.txt")]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/etc/passwd")]
    [InlineData("{workspace}")]
    [InlineData("{workspace}/sub")]
    [InlineData("{outside}")]
    [InlineData("link-to-outside")]
    [InlineData("link-to-outside/")]
    [InlineData("link-to-outside/secret.txt")]
    [InlineData("link-to-outside/folder")]
    [InlineData("link-to-outside/missing.txt")]
    [InlineData("link-to-outside-file")]
    [InlineData("link-to-missing-outside")]
    [InlineData("loop")]

    // A link to "." then a relative link up: inside as text (here/../outside), outside as the kernel walks it.
    [InlineData("here/up")]
    [InlineData("here/up/secret.txt")]
    public async Task GetPathKindAsync_PathLeavingWorkspace_ThrowsWithoutNamingTheHost(string template)
    {
        // Arrange
        using var outside = new TempDirectory("sparring-outside-");
        var secret = MakeWaysOut(outside);
        var path = template.Replace("{workspace}", Workspace.Path, StringComparison.Ordinal).Replace("{outside}", outside.Path, StringComparison.Ordinal);
        await using var sandbox = await OpenAsync();

        // Act
        var error = await Record.ExceptionAsync(() => sandbox.GetPathKindAsync(path));

        // Assert
        var refused = Assert.IsAssignableFrom<ArgumentException>(error);
        if (!template.StartsWith('{'))
        {
            Assert.DoesNotContain(outside.Path, refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Workspace.Path, refused.Message, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Path.Combine(outside.Path, "missing")));
        Assert.Equal("host secret", File.ReadAllText(secret));
    }

    [Fact]
    public async Task GetPathKindAsync_LinksOutsideToSomethingOrNothing_AnswerAlike()
    {
        // Arrange: whether a host path exists must not show through the answer.
        using var outside = new TempDirectory("sparring-outside-");
        outside.Write("folder/secret.txt", "host secret");
        Directory.CreateSymbolicLink(Path.Combine(Workspace.Path, "to-something"), Path.Combine(outside.Path, "folder"));
        Directory.CreateSymbolicLink(Path.Combine(Workspace.Path, "to-nothing"), Path.Combine(outside.Path, "nothing"));
        await using var sandbox = await OpenAsync();

        // Act
        var something = await Record.ExceptionAsync(() => sandbox.GetPathKindAsync("to-something"));
        var nothing = await Record.ExceptionAsync(() => sandbox.GetPathKindAsync("to-nothing"));
        var file = await Record.ExceptionAsync(() => sandbox.GetPathKindAsync("to-something/secret.txt"));
        var noFile = await Record.ExceptionAsync(() => sandbox.GetPathKindAsync("to-something/nothing.txt"));

        // Assert
        Assert.NotNull(something);
        Assert.IsAssignableFrom<ArgumentException>(something);
        Assert.Equal(something.GetType(), nothing?.GetType());
        Assert.Equal(something.Message.Replace("to-something", "LINK", StringComparison.Ordinal), nothing!.Message.Replace("to-nothing", "LINK", StringComparison.Ordinal));
        Assert.NotNull(file);
        Assert.Equal(file.GetType(), noFile?.GetType());
        Assert.Equal(file.Message.Replace("secret.txt", "NAME", StringComparison.Ordinal), noFile!.Message.Replace("nothing.txt", "NAME", StringComparison.Ordinal));
    }
}
