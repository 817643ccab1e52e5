using System.Diagnostics;
using Sparring.Agents.Tools;
using static Sparring.Tests.Agents.Tools.ToolWorkspace;

namespace Sparring.Tests.Agents.Tools;

public sealed class BashToolTests
{
    private readonly BashTool _tool = new();

    [Fact]
    public async Task InvokeAsync_SuccessfulCommand_ShowsOutputThenExitCodeZero()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "cat src/calc.py | head -1 && pwd"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.False(result.Submitted);
        Assert.Equal("def add(a, b):\n/repo\n[exit code 0]", result.Output);
        Assert.DoesNotContain("[stdout]", result.Output, StringComparison.Ordinal);
        Assert.True(result.DurationMs > 0);
    }

    [Fact]
    public async Task InvokeAsync_BothStreamsAndNonZeroExit_LabelsStreamsAndIsNotAnError()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "echo out; echo err >&2; exit 3"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.Equal("[stdout]\nout\n[stderr]\nerr\n[exit code 3]", result.Output);
    }

    [Fact]
    public async Task InvokeAsync_CdThenAnotherCall_StartsAgainInTheRepositoryRoot()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var first = await _tool.InvokeAsync(Args("""{"command": "cd src && export X=1 && pwd"}"""), workspace.Context);
        var second = await _tool.InvokeAsync(Args("""{"command": "pwd; echo \"x=$X\""}"""), workspace.Context);

        // Assert
        Assert.StartsWith("/repo/src\n", first.Output, StringComparison.Ordinal);
        Assert.Equal("/repo\nx=\n[exit code 0]", second.Output);
    }

    [Fact]
    public async Task InvokeAsync_WritesAFile_TheFileIsInTheWorkspace()
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(ToolArguments.FromStrings([new("command", "mkdir -p out && echo made > out/x.txt")]), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.Equal("made\n", workspace.Read("out/x.txt"));
        Assert.Equal("[exit code 0]", result.Output);
    }

    [Fact]
    public async Task InvokeAsync_SleepLongerThanTimeout_IsKilledAndReportedAsError()
    {
        // Arrange
        using var workspace = await CreateAsync();
        var watch = Stopwatch.StartNew();

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "echo started; sleep 5; echo finished", "timeout": 1}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("started", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("finished", result.Output, StringComparison.Ordinal);
        Assert.Contains("killed after 1 s", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[exit code", result.Output, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4.5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task InvokeAsync_TimeoutAboveTheMaximum_IsCappedAtTheMaximum()
    {
        // Arrange
        using var workspace = await CreateAsync(options: new ToolOptions { BashTimeout = TimeSpan.FromSeconds(1), MaxBashTimeout = TimeSpan.FromSeconds(1) });

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "sleep 5", "timeout": "600"}"""), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains("killed after 1 s", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_OutputFlood_IsCappedKeepingHeadTailAndExitCode()
    {
        // Arrange
        using var workspace = await CreateAsync(options: new ToolOptions { OutputLimitChars = 2_000 });

        // Act
        var result = await _tool.InvokeAsync(Args("""{"command": "seq 1 200000"}"""), workspace.Context);

        // Assert
        Assert.False(result.IsError);
        Assert.True(result.Output.Length < 2_200, $"{result.Output.Length} characters");
        Assert.StartsWith("1\n2\n3\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("truncated", result.Output, StringComparison.Ordinal);
        Assert.EndsWith("[exit code 0]", result.Output, StringComparison.Ordinal);
        Assert.Contains("200000", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "missing required argument 'command'")]
    [InlineData("""{"command": "  "}""", "the command is empty")]
    [InlineData("""{"command": "ls", "timeout": 0}""", "timeout must be a positive")]
    [InlineData("""{"command": "ls", "timeout": "soon"}""", "'timeout' must be an integer")]
    [InlineData("""{"command": ["ls"]}""", "'command' must be a string")]
    public async Task InvokeAsync_BadArguments_ReturnsAnErrorTheModelCanRead(string json, string expected)
    {
        // Arrange
        using var workspace = await CreateAsync();

        // Act
        var result = await _tool.InvokeAsync(Args(json), workspace.Context);

        // Assert
        Assert.True(result.IsError);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.StartsWith("bash: ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_MultiLineBody_IsTheCommandVerbatim()
    {
        // Arrange
        const string body = "cd src &&\n  grep -n 'return' calc.py";

        // Act
        var arguments = _tool.ParseText(body);

        // Assert
        Assert.Equal(body, arguments.GetString("command"));
        Assert.Single(arguments.Values);
        Assert.Contains("<tool: bash>", _tool.TextUsage, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseText_EmptyBody_ThrowsArgumentError()
    {
        // Arrange
        const string body = "\n  ";

        // Act
        var error = Record.Exception(() => _tool.ParseText(body));

        // Assert
        var argument = Assert.IsType<ToolArgumentException>(error);
        Assert.Contains("empty", argument.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_CustomLimits_QuotesThem()
    {
        // Arrange
        var tool = new BashTool(new ToolOptions { BashTimeout = TimeSpan.FromSeconds(30), MaxBashTimeout = TimeSpan.FromSeconds(90) });

        // Act
        var description = tool.Description;

        // Assert
        Assert.Contains("30 s", description, StringComparison.Ordinal);
        Assert.Contains("90 s", description, StringComparison.Ordinal);
        Assert.Contains("`cd`", description, StringComparison.Ordinal);
        Assert.Equal("command", tool.ParametersSchema.GetProperty("required")[0].GetString());
    }
}
