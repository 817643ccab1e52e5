using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.TestUtilities;
using RepoWorkspace = Sparring.Repos.Workspace;

namespace Sparring.Tests.Sandboxes;

/// <summary>
/// What every sandbox backend must do: run commands over the workspace, move files in and out, and
/// contain hostile commands (writes outside, network, fork bombs, floods, runaway processes, signals,
/// memory). Each backend subclasses this class and supplies <see cref="CreateSandboxAsync"/>.
/// </summary>
public abstract partial class SandboxConformanceTests : IDisposable
{
    /// <summary>The "returns promptly" bound for commands that time out; far above the timeouts used here.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    protected SandboxConformanceTests() => Workspace = new TempDirectory("sparring-sandbox-");

    /// <summary>A fresh workspace directory per test.</summary>
    protected TempDirectory Workspace { get; }

    /// <summary>Opens a sandbox of the backend under test over <paramref name="workspace"/>.</summary>
    protected abstract Task<ISandbox> CreateSandboxAsync(string workspace, SandboxOptions options);

    public void Dispose()
    {
        Workspace.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<ISandbox> OpenAsync(SandboxOptions? options = null) =>
        CreateSandboxAsync(Workspace.Path, options ?? new SandboxOptions { DefaultTimeout = TimeSpan.FromSeconds(30) });

    // ---- Basic execution -------------------------------------------------------------------

    [Fact]
    public async Task ExecAsync_SimpleCommand_ReturnsOutputExitCodeAndDuration()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell("echo out-line; echo err-line >&2; pwd; exit 7"));

        // Assert
        Assert.Equal(7, result.ExitCode);
        Assert.Equal($"out-line\n{sandbox.SandboxWorkspacePath}\n", result.Stdout);
        Assert.Equal("err-line\n", result.Stderr);
        Assert.False(result.TimedOut);
        Assert.False(result.OutputTruncated);
        Assert.False(result.MemoryLimitHit);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task ExecAsync_CustomWorkspaceMountPath_StartsThereAndSeesWorkspaceFiles()
    {
        // Arrange
        Workspace.Write("hello.txt", "from the host");
        await using var sandbox = await OpenAsync(new SandboxOptions { WorkspaceMountPath = "/work/project" });

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell("pwd; cat hello.txt; cat /work/project/hello.txt"));

        // Assert
        Assert.Equal("/work/project", sandbox.SandboxWorkspacePath);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("/work/project\nfrom the hostfrom the host", result.Stdout);
    }

    [Fact]
    public async Task ExecAsync_WorkingDirectory_StartsInThatWorkspaceFolder()
    {
        // Arrange
        Workspace.Write("src/lib/code.txt", "code");
        await using var sandbox = await OpenAsync();

        // Act
        var nested = await sandbox.ExecAsync(ExecRequest.Shell("pwd; cat code.txt") with { WorkingDirectory = "src/lib" });
        var root = await sandbox.ExecAsync(ExecRequest.Shell("pwd") with { WorkingDirectory = "." });

        // Assert
        Assert.Equal(0, nested.ExitCode);
        Assert.Equal($"{sandbox.SandboxWorkspacePath}/src/lib\ncode", nested.Stdout);
        Assert.Equal($"{sandbox.SandboxWorkspacePath}\n", root.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandWithArguments_PassesThemWithoutAShell()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var result = await sandbox.ExecAsync(new ExecRequest { Command = ["printf", "%s|", "a b", "$HOME", "*", "it's"] });

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|*|it's|", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task ExecAsync_StandardInput_IsDeliveredAndClosed()
    {
        // Arrange
        await using var sandbox = await OpenAsync();
        var input = "line one\nline two ünïcödé\n" + new string('x', 200_000) + "\n";

        // Act
        var echoed = await sandbox.ExecAsync(new ExecRequest { Command = ["cat"], StandardInput = Encoding.UTF8.GetBytes(input) });
        var counted = await sandbox.ExecAsync(new ExecRequest { Command = ["wc", "-l"], StandardInput = Encoding.UTF8.GetBytes(input) });
        var noInput = await sandbox.ExecAsync(new ExecRequest { Command = ["cat"], Timeout = TimeSpan.FromSeconds(10) });

        // Assert
        Assert.Equal(0, echoed.ExitCode);
        Assert.Equal(input, echoed.Stdout);
        Assert.Equal("3", counted.Stdout.Trim());
        Assert.False(noInput.TimedOut);
        Assert.Equal(0, noInput.ExitCode);
        Assert.Empty(noInput.Stdout);
    }

    [Fact]
    public async Task ExecAsync_Environment_IsSanitizedWithDefaultsAndRequestVariables()
    {
        // Arrange
        const string Secret = "SPARRING_SECRET_CONFORMANCE";
        Environment.SetEnvironmentVariable(Secret, "leaked-host-value");
        try
        {
            await using var sandbox = await OpenAsync(new SandboxOptions
            {
                Environment = new Dictionary<string, string> { ["FROM_OPTIONS"] = "options-value", ["OVERRIDDEN"] = "options" },
            });
            var request = new ExecRequest
            {
                Command = ["env"],
                Environment = new Dictionary<string, string> { ["FROM_REQUEST"] = "request value with spaces", ["OVERRIDDEN"] = "request" },
            };

            // Act
            var result = await sandbox.ExecAsync(request);

            // Assert
            var variables = ParseEnv(result.Stdout);
            Assert.Equal(0, result.ExitCode);
            Assert.DoesNotContain(Secret, variables.Keys);
            Assert.DoesNotContain("leaked-host-value", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("/usr/bin", variables["PATH"], StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(variables["HOME"]));
            Assert.False(string.IsNullOrEmpty(variables["LANG"]));
            Assert.Equal("request value with spaces", variables["FROM_REQUEST"]);
            Assert.Equal("options-value", variables["FROM_OPTIONS"]);
            Assert.Equal("request", variables["OVERRIDDEN"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Secret, null);
        }
    }

    [Fact]
    public async Task ExecAsync_MissingProgram_ReturnsNotFoundExitCode()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var direct = await sandbox.ExecAsync(new ExecRequest { Command = ["no-such-program-sparring"] });
        var viaShell = await sandbox.ExecAsync(ExecRequest.Shell("no-such-program-sparring"));

        // Assert
        Assert.Equal(127, direct.ExitCode);
        Assert.Contains("no-such-program-sparring", direct.Stderr, StringComparison.Ordinal);
        Assert.False(direct.TimedOut);
        Assert.Equal(127, viaShell.ExitCode);
    }

    [Fact]
    public async Task ExecAsync_KilledBySignal_Returns128PlusSignal()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var killed = await sandbox.ExecAsync(ExecRequest.Shell("kill -9 $$"));
        var terminated = await sandbox.ExecAsync(ExecRequest.Shell("kill -15 $$"));

        // Assert
        Assert.Equal(137, killed.ExitCode);
        Assert.Equal(143, terminated.ExitCode);
        Assert.False(killed.TimedOut);
    }

    [Fact]
    public async Task ExecAsync_StartedFromThreadThatExits_RunsToCompletion()
    {
        // Arrange
        await using var sandbox = await OpenAsync();
        Task<ExecResult>? running = null;
        var starter = new Thread(() => running = sandbox.ExecAsync(ExecRequest.Shell("sleep 1; echo finished")));

        // Act
        starter.Start();
        starter.Join();
        var result = await running!;

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("finished\n", result.Stdout);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task ExecAsync_InvalidRequest_ThrowsBeforeRunningAnything()
    {
        // Arrange
        await using var sandbox = await OpenAsync();
        var touch = ExecRequest.Shell("touch ran.txt");

        // Act
        var empty = await Record.ExceptionAsync(() => sandbox.ExecAsync(new ExecRequest { Command = [] }));
        var escape = await Record.ExceptionAsync(() => sandbox.ExecAsync(touch with { WorkingDirectory = "../" }));
        var negativeTimeout = await Record.ExceptionAsync(() => sandbox.ExecAsync(touch with { Timeout = TimeSpan.FromSeconds(-1) }));
        var zeroTimeout = await Record.ExceptionAsync(() => sandbox.ExecAsync(touch with { Timeout = TimeSpan.Zero }));
        var negativeLimit = await Record.ExceptionAsync(() => sandbox.ExecAsync(touch with { OutputLimitBytes = -1 }));
        await Task.Delay(200);

        // Assert
        Assert.IsAssignableFrom<ArgumentException>(empty);
        Assert.IsAssignableFrom<ArgumentException>(escape);
        Assert.IsAssignableFrom<ArgumentException>(negativeTimeout);
        Assert.IsAssignableFrom<ArgumentException>(zeroTimeout);
        Assert.IsAssignableFrom<ArgumentException>(negativeLimit);
        Assert.False(File.Exists(Path.Combine(Workspace.Path, "ran.txt")), "a rejected request still ran");
    }

    [Fact]
    public async Task ExecAsync_Cancelled_ThrowsAndLeavesNoProcess()
    {
        // Arrange
        var marker = NewMarker();
        await using var sandbox = await OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var stopwatch = Stopwatch.StartNew();

        // Act
        var error = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell($"(exec -a {marker} sleep 300 &); exec -a {marker} sleep 30"), cts.Token));
        stopwatch.Stop();

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(stopwatch.Elapsed < Prompt, $"cancellation took {stopwatch.Elapsed}");
        Assert.Empty(await WaitForNoProcessesAsync(marker));
    }

    // ---- Files -----------------------------------------------------------------------------

    [Fact]
    public async Task WriteFileAsync_ThenExec_CommandSeesTheFile()
    {
        // Arrange
        await using var sandbox = await OpenAsync();
        var content = new byte[] { 0, 1, 2, 255, (byte)'\n', (byte)'z' };

        // Act
        await sandbox.WriteFileAsync("new/dir/data.bin", content);
        var result = await sandbox.ExecAsync(ExecRequest.Shell("od -An -tu1 new/dir/data.bin; ls new/dir"));

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0 1 2 255 10 122 data.bin", string.Join(' ', result.Stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(Workspace.Path, "new/dir/data.bin")));
    }

    [Fact]
    public async Task ReadFileAsync_FileWrittenByCommand_ReturnsItsBytes()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell("mkdir -p out && printf 'made inside\\n' > out/result.txt"));
        var bytes = await sandbox.ReadFileAsync("out/result.txt");
        var missing = await Record.ExceptionAsync(() => sandbox.ReadFileAsync("out/missing.txt"));

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("made inside\n", Encoding.UTF8.GetString(bytes));
        Assert.Equal("made inside\n", Workspace.Read("out/result.txt"));
        Assert.IsAssignableFrom<IOException>(missing);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("sub/../../outside.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("link-to-outside/secret.txt")]
    [InlineData("link-to-outside-file")]
    [InlineData("link-to-missing-outside")]
    [InlineData("loop")]

    // A link to "." then a relative link up: inside as text (here/../outside), outside as the kernel walks it.
    [InlineData("here/up/secret.txt")]
    public async Task FileAccess_PathLeavingWorkspace_ThrowsArgumentException(string relativePath)
    {
        // Arrange
        using var outside = new TempDirectory("sparring-outside-");
        var secret = MakeWaysOut(outside);
        await using var sandbox = await OpenAsync();

        // Act
        var read = await Record.ExceptionAsync(() => sandbox.ReadFileAsync(relativePath));
        var write = await Record.ExceptionAsync(() => sandbox.WriteFileAsync(relativePath, "overwritten"u8.ToArray()));

        // Assert
        Assert.IsAssignableFrom<ArgumentException>(read);
        Assert.IsAssignableFrom<ArgumentException>(write);
        Assert.Equal("host secret", File.ReadAllText(secret));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(Workspace.Path)!, "outside.txt")));
        Assert.False(File.Exists(Path.Combine(outside.Path, "missing")));
    }

    [Fact]
    public async Task WriteFileAsync_DanglingSymlinkPointingOutside_ThrowsAndCreatesNothing()
    {
        // Arrange
        using var outside = new TempDirectory("sparring-outside-");
        var target = Path.Combine(outside.Path, "created-through-link.txt");
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "dangling"), target);
        await using var sandbox = await OpenAsync();

        // Act
        var write = await Record.ExceptionAsync(() => sandbox.WriteFileAsync("dangling", "escaped"u8.ToArray()));
        var read = await Record.ExceptionAsync(() => sandbox.ReadFileAsync("dangling"));

        // Assert
        Assert.IsAssignableFrom<ArgumentException>(write);
        Assert.IsAssignableFrom<ArgumentException>(read);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task FileAccess_FifoMadeByCommand_FailsPromptlyInsteadOfHanging()
    {
        // Arrange
        await using var sandbox = await OpenAsync();
        var made = await sandbox.ExecAsync(ExecRequest.Shell("mkfifo report.xml && mkdir -p out && mkfifo out/result.txt"));

        // Act: on another thread, so that a regression times out instead of hanging the test host.
        var read = await Record.ExceptionAsync(() => Task.Run(() => sandbox.ReadFileAsync("report.xml")).WaitAsync(TimeSpan.FromSeconds(5)));
        var write = await Record.ExceptionAsync(() => Task.Run(() => sandbox.WriteFileAsync("out/result.txt", "data"u8.ToArray())).WaitAsync(TimeSpan.FromSeconds(5)));
        await sandbox.WriteFileAsync("out/regular.txt", "fine"u8.ToArray());

        // Assert
        Assert.Equal(0, made.ExitCode);
        Assert.IsAssignableFrom<IOException>(read);
        Assert.IsAssignableFrom<IOException>(write);
        Assert.Equal("fine", Encoding.UTF8.GetString(await sandbox.ReadFileAsync("out/regular.txt")));
    }

    [Fact]
    public async Task FileAccess_SymlinkStayingInsideWorkspace_IsAllowed()
    {
        // Arrange
        Workspace.Write("real/file.txt", "inside");
        Directory.CreateSymbolicLink(Path.Combine(Workspace.Path, "alias"), Path.Combine(Workspace.Path, "real"));
        await using var sandbox = await OpenAsync();

        // Act
        var bytes = await sandbox.ReadFileAsync("alias/file.txt");
        await sandbox.WriteFileAsync("alias/other.txt", "via alias"u8.ToArray());

        // Assert
        Assert.Equal("inside", Encoding.UTF8.GetString(bytes));
        Assert.Equal("via alias", Workspace.Read("real/other.txt"));
    }

    // ---- Hostile commands ------------------------------------------------------------------

    [Fact]
    public async Task ExecAsync_WritesOutsideWorkspace_FailAndLeaveHostUnchanged()
    {
        // Arrange
        var marker = NewMarker();
        using var outside = new TempDirectory("sparring-outside-");
        var existing = outside.Write("existing.txt", "original");
        string[] targets =
        [
            $"/usr/{marker}",
            $"/usr/bin/{marker}",
            $"/etc/{marker}",
            $"/{marker}",
            Path.Combine(outside.Path, marker),
            $"{Workspace.Path}/../{marker}",
        ];
        await using var sandbox = await OpenAsync();

        // Act
        var results = new List<ExecResult>();
        foreach (var target in targets)
        {
            results.Add(await sandbox.ExecAsync(ExecRequest.Shell($"echo pwned > '{target}'")));
        }

        var overwrite = await sandbox.ExecAsync(ExecRequest.Shell($"echo pwned > '{existing}'"));
        var parent = await sandbox.ExecAsync(ExecRequest.Shell($"echo pwned > ../{marker}"));
        var remount = await sandbox.ExecAsync(ExecRequest.Shell($"mount -o remount,rw / && echo pwned > /usr/{marker}"));

        // Assert
        Assert.All(results, r => Assert.NotEqual(0, r.ExitCode));
        Assert.NotEqual(0, parent.ExitCode);
        Assert.NotEqual(0, remount.ExitCode);
        Assert.All(targets, t => Assert.False(File.Exists(t), $"{t} was created on the host"));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(Workspace.Path)!, marker)));
        Assert.Equal("original", File.ReadAllText(existing));
        Assert.NotEqual(0, overwrite.ExitCode);
    }

    [Fact]
    public async Task ExecAsync_NetworkAccess_FailsAndHostListenerSeesNoConnection()
    {
        // Arrange
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var sandbox = await OpenAsync();
        static string Connect(string host, int port) =>
            string.Create(CultureInfo.InvariantCulture, $"timeout 3 bash -c 'exec 3<>/dev/tcp/{host}/{port} && echo CONNECTED'");

        // Act
        var loopback = await sandbox.ExecAsync(ExecRequest.Shell(Connect("127.0.0.1", port), TimeSpan.FromSeconds(10)));
        var publicIp = await sandbox.ExecAsync(ExecRequest.Shell(Connect("1.1.1.1", 53), TimeSpan.FromSeconds(10)));
        var dns = await sandbox.ExecAsync(ExecRequest.Shell("timeout 3 getent hosts example.com", TimeSpan.FromSeconds(10)));

        // Assert
        Assert.NotEqual(0, loopback.ExitCode);
        Assert.DoesNotContain("CONNECTED", loopback.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, publicIp.ExitCode);
        Assert.DoesNotContain("CONNECTED", publicIp.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, dns.ExitCode);
        Assert.False(listener.Pending(), "the host listener received a connection from the sandbox");
    }

    [Fact]
    public async Task ExecAsync_ForkBomb_IsContainedAndLeavesNoProcess()
    {
        // Arrange
        var marker = NewMarker();
        await using var sandbox = await OpenAsync(new SandboxOptions { MaxProcesses = 64, DefaultTimeout = TimeSpan.FromSeconds(30) });
        // Bounded: at most 400 sleepers even if the process limit were not enforced.
        var bomb = $"for i in $(seq 1 400); do (exec -a {marker} sleep 60) & done; wait";
        var stopwatch = Stopwatch.StartNew();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell(bomb, TimeSpan.FromSeconds(4)));
        stopwatch.Stop();
        var after = await sandbox.ExecAsync(ExecRequest.Shell("echo still-usable"));

        // Assert
        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
        Assert.True(stopwatch.Elapsed < Prompt, $"the fork bomb took {stopwatch.Elapsed} to stop");
        Assert.Contains("fork", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await WaitForNoProcessesAsync(marker));
        Assert.Equal("still-usable\n", after.Stdout);
    }

    [Fact]
    public async Task ExecAsync_MaxProcesses_LimitsLiveProcesses()
    {
        // Arrange
        var marker = NewMarker();
        await using var sandbox = await OpenAsync(new SandboxOptions { MaxProcesses = 32 });
        var script = $$"""
            import os, time
            started = 0
            try:
                for _ in range(200):
                    if os.fork() == 0:
                        os.execv("/bin/sleep", ["{{marker}}", "60"])
                    started += 1
            except OSError:
                pass
            print(started)
            """;

        // Act
        var result = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", script], Timeout = TimeSpan.FromSeconds(20) });

        // Assert
        Assert.Equal(0, result.ExitCode);
        var started = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(started, 1, 31);
        Assert.False(result.TimedOut);
        Assert.Empty(await WaitForNoProcessesAsync(marker));
    }

    [Fact]
    public async Task ExecAsync_EndlessOutput_IsTruncatedAndTimesOut()
    {
        // Arrange
        const int Limit = 4096;
        await using var sandbox = await OpenAsync();

        // Act
        var result = await sandbox.ExecAsync(new ExecRequest { Command = ["yes"], OutputLimitBytes = Limit, Timeout = TimeSpan.FromSeconds(2) });

        // Assert
        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
        Assert.True(result.OutputTruncated);
        Assert.InRange(Encoding.UTF8.GetByteCount(result.Stdout), Limit, Limit + 200);
        Assert.StartsWith("y\ny\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("y\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("omitted", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecAsync_FloodOnBothStreams_KeepsHeadAndTail()
    {
        // Arrange
        const int Limit = 2048;
        await using var sandbox = await OpenAsync();
        var flood = "printf HEAD-OUT; head -c 5000000 /dev/zero | tr '\\0' a; printf TAIL-OUT; "
            + "printf HEAD-ERR >&2; head -c 3000000 /dev/zero | tr '\\0' b >&2; printf TAIL-ERR >&2; exit 3";

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell(flood, TimeSpan.FromSeconds(30)) with { OutputLimitBytes = Limit });
        var small = await sandbox.ExecAsync(ExecRequest.Shell("head -c 2048 /dev/zero | tr '\\0' c") with { OutputLimitBytes = Limit });

        // Assert
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.True(result.OutputTruncated);
        Assert.StartsWith("HEAD-OUTaaa", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("aaaTAIL-OUT", result.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("HEAD-ERRbbb", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("bbbTAIL-ERR", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(result.Stdout.Length, Limit, Limit + 200);
        Assert.InRange(result.Stderr.Length, Limit, Limit + 200);
        Assert.False(small.OutputTruncated);
        Assert.Equal(new string('c', Limit), small.Stdout);
    }

    public static TheoryData<string> RunawayCommands => new()
    {
        "exec -a {0} sleep 30",
        "(exec -a {0} sleep 300 &) ; exec -a {0}-main sleep 30",
        "setsid bash -c 'exec -a {0} sleep 300' & exec -a {0}-main sleep 30",
        "nohup bash -c 'exec -a {0} sleep 300' > /dev/null 2>&1 & disown; exec -a {0}-main sleep 30",
        "trap '' TERM INT HUP; (trap '' TERM INT HUP; exec -a {0} sleep 300) & while :; do sleep 30; done",
    };

    [Theory]
    [MemberData(nameof(RunawayCommands))]
    public async Task ExecAsync_RunsPastTimeout_TimesOutPromptlyAndLeavesNoProcess(string template)
    {
        // Arrange
        var marker = NewMarker();
        await using var sandbox = await OpenAsync();
        var stopwatch = Stopwatch.StartNew();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell(string.Format(CultureInfo.InvariantCulture, template, marker), TimeSpan.FromSeconds(1)));
        stopwatch.Stop();

        // Assert
        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
        Assert.True(stopwatch.Elapsed < Prompt, $"the timed-out command took {stopwatch.Elapsed} to return");
        // Not early: .NET's timer queue counts whole milliseconds, so a 1 s timeout can fire a few ms short of a
        // Stopwatch second (seen once in CI: the assertion without the margin failed).
        Assert.True(result.Duration >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20), $"timed out after {result.Duration}");
        Assert.Empty(await WaitForNoProcessesAsync(marker));
    }

    [Fact]
    public async Task ExecAsync_BackgroundProcessAfterNormalExit_IsNotLeftRunning()
    {
        // Arrange
        var marker = NewMarker();
        await using var sandbox = await OpenAsync();
        var stopwatch = Stopwatch.StartNew();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell(
            $"(exec -a {marker} sleep 300 &); setsid bash -c 'exec -a {marker} sleep 300' > /dev/null 2>&1 & echo started", TimeSpan.FromSeconds(30)));
        stopwatch.Stop();

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Equal("started\n", result.Stdout);
        Assert.True(stopwatch.Elapsed < Prompt, $"the command took {stopwatch.Elapsed} to return");
        Assert.Empty(await WaitForNoProcessesAsync(marker));
    }

    [Fact]
    public async Task ExecAsync_SignalsHostProcess_FailsAndHostProcessSurvives()
    {
        // Arrange
        using var host = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        try
        {
            await using var sandbox = await OpenAsync();
            var pid = host.Id.ToString(CultureInfo.InvariantCulture);

            // Act
            var kill = await sandbox.ExecAsync(ExecRequest.Shell($"kill -9 {pid}"));
            var stop = await sandbox.ExecAsync(ExecRequest.Shell($"kill -STOP {pid}"));
            var parent = await sandbox.ExecAsync(ExecRequest.Shell($"kill -9 {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}"));
            var visible = await sandbox.ExecAsync(ExecRequest.Shell($"test -e /proc/{pid}/cmdline && cat /proc/{pid}/cmdline"));

            // Assert
            Assert.NotEqual(0, kill.ExitCode);
            Assert.NotEqual(0, stop.ExitCode);
            Assert.NotEqual(0, parent.ExitCode);
            Assert.NotEqual(0, visible.ExitCode);
            Assert.False(host.HasExited);
            Assert.DoesNotContain("\tT", ReadStatusState(host.Id), StringComparison.Ordinal);
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ExecAsync_ListsProcesses_SeesOnlyItsOwn()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell("ls /proc | grep -E '^[0-9]+$'"));
        var init = await sandbox.ExecAsync(ExecRequest.Shell("cat /proc/1/cmdline | tr '\\0' ' '"));

        // Assert
        Assert.Equal(0, result.ExitCode);
        var pids = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(pids.Length, 1, 8);
        Assert.DoesNotContain(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), pids);
        Assert.DoesNotContain("dotnet", init.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("systemd", init.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecAsync_ExceedsMemoryLimit_IsKilledAndReported()
    {
        // Arrange
        await using var sandbox = await OpenAsync(new SandboxOptions { MemoryLimitBytes = 64L * 1024 * 1024 });
        var hog = new ExecRequest { Command = ["python3", "-c", "x = b'x' * (512 * 1024 * 1024); print('allocated')"], Timeout = TimeSpan.FromSeconds(30) };

        // Act
        var result = await sandbox.ExecAsync(hog);
        var modest = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", "x = b'x' * (8 * 1024 * 1024); print('ok')"] });

        // Assert
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.MemoryLimitHit);
        Assert.False(result.TimedOut);
        Assert.DoesNotContain("allocated", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, modest.ExitCode);
        Assert.Equal("ok\n", modest.Stdout);
        Assert.False(modest.MemoryLimitHit);
    }

    [Fact]
    public async Task ExecAsync_ProgramBuiltIntoTmpOrWorkspace_Runs()
    {
        // Arrange: test runners build their binaries under /tmp (go test) or in the tree (dotnet, native addons).
        await using var sandbox = await OpenAsync();

        // Act
        var result = await sandbox.ExecAsync(ExecRequest.Shell("cp /bin/echo /tmp/built && /tmp/built from-tmp && cp /bin/echo ./built && ./built from-workspace"));

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("from-tmp\nfrom-workspace\n", result.Stdout);
    }

    [Fact]
    public async Task ExecAsync_WritesToTmp_StayPrivateToTheCommand()
    {
        // Arrange
        var marker = NewMarker();
        await using var sandbox = await OpenAsync();

        // Act
        var write = await sandbox.ExecAsync(ExecRequest.Shell($"echo secret > /tmp/{marker} && mkdir -p $HOME/.cache && cat /tmp/{marker}"));
        var next = await sandbox.ExecAsync(ExecRequest.Shell($"ls /tmp; test -e /tmp/{marker}"));

        // Assert
        Assert.Equal(0, write.ExitCode);
        Assert.Equal("secret\n", write.Stdout);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), marker)));
        Assert.False(File.Exists(Path.Combine("/tmp", marker)));
        Assert.NotEqual(0, next.ExitCode);
        Assert.DoesNotContain(marker, next.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetFileName(Workspace.Path), next.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecAsync_ReadOnlyMountInsideWorkspace_ShadowsWorkspaceAndRefusesWrites()
    {
        // Arrange
        using var shared = new TempDirectory("sparring-shared-");
        shared.Write("pkg/lib.txt", "shared library");
        Workspace.Write("deps/placeholder.txt", "workspace copy");
        Workspace.Write("code.txt", "code");
        var mountPath = new SandboxOptions().WorkspaceMountPath + "/deps";
        await using var sandbox = await OpenAsync(new SandboxOptions { Mounts = [new SandboxMount(shared.Path, mountPath, ReadOnly: true)] });

        // Act
        var read = await sandbox.ExecAsync(ExecRequest.Shell("cat deps/pkg/lib.txt; test ! -e deps/placeholder.txt && echo shadowed"));
        var write = await sandbox.ExecAsync(ExecRequest.Shell("echo changed > deps/pkg/lib.txt"));
        var create = await sandbox.ExecAsync(ExecRequest.Shell("touch deps/new.txt"));
        var remove = await sandbox.ExecAsync(ExecRequest.Shell("rm -rf deps/pkg"));
        var elsewhere = await sandbox.ExecAsync(ExecRequest.Shell("echo edited > code.txt"));

        // Assert
        Assert.Equal("shared libraryshadowed\n", read.Stdout);
        Assert.NotEqual(0, write.ExitCode);
        Assert.NotEqual(0, create.ExitCode);
        Assert.NotEqual(0, remove.ExitCode);
        Assert.Equal("shared library", shared.Read("pkg/lib.txt"));
        Assert.False(File.Exists(Path.Combine(shared.Path, "new.txt")));
        Assert.Equal(0, elsewhere.ExitCode);
        Assert.Equal("edited\n", Workspace.Read("code.txt"));
        Assert.Equal("workspace copy", Workspace.Read("deps/placeholder.txt"));
    }

    [Fact]
    public async Task ExecAsync_ReadOnlyMountOutsideWorkspace_IsVisibleButNotWritable()
    {
        // Arrange
        using var shared = new TempDirectory("sparring-shared-");
        shared.Write("tool.txt", "toolchain");
        await using var sandbox = await OpenAsync(new SandboxOptions { Mounts = [new SandboxMount(shared.Path, "/opt/toolchain", ReadOnly: true)] });

        // Act
        var read = await sandbox.ExecAsync(ExecRequest.Shell("cat /opt/toolchain/tool.txt"));
        var write = await sandbox.ExecAsync(ExecRequest.Shell("echo x > /opt/toolchain/tool.txt"));

        // Assert
        Assert.Equal("toolchain", read.Stdout);
        Assert.NotEqual(0, write.ExitCode);
        Assert.Equal("toolchain", shared.Read("tool.txt"));
    }

    // ---- Host interfaces, host paths, disk ---------------------------------------------------

    /// <summary>Opens every file under /proc for writing (never writes): the per-process folders of the sandbox's own processes are skipped.</summary>
    private const string ProcWriteScan = """
        import os, stat, sys
        writable, scanned = [], 0
        null_device = os.stat("/dev/null").st_rdev
        def walk(d):
            global scanned
            try:
                entries = os.listdir(d)
            except OSError:
                return
            for e in entries:
                if d == "/proc" and (e.isdigit() or e in ("self", "thread-self")):
                    continue
                p = os.path.join(d, e)
                try:
                    st = os.lstat(p)
                except OSError:
                    continue
                if stat.S_ISLNK(st.st_mode):
                    continue
                if stat.S_ISDIR(st.st_mode):
                    walk(p)
                    continue
                scanned += 1
                # A host file masked by /dev/null (Docker's way) takes writes to nowhere.
                if stat.S_ISCHR(st.st_mode) and st.st_rdev == null_device:
                    continue
                try:
                    fd = os.open(p, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    continue
                os.close(fd)
                writable.append(p)
        walk(sys.argv[1])
        print(scanned)
        for p in writable:
            print(p)
        """;

    [Fact]
    public async Task ExecAsync_OpensEveryProcSysFileForWriting_AllFail()
    {
        // Arrange: opening for writing is enough to prove a hole; nothing is ever written.
        await using var sandbox = await OpenAsync();

        // Act
        var scan = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", ProcWriteScan, "/proc/sys"], Timeout = TimeSpan.FromSeconds(60) });
        var named = await sandbox.ExecAsync(ExecRequest.Shell(
            "for f in /proc/sys/vm/drop_caches /proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /proc/sys/fs/suid_dumpable; do "
            + "python3 -c 'import os,sys; os.open(sys.argv[1], os.O_WRONLY)' $f 2>/dev/null && echo WRITABLE $f; done; true"));

        // Assert
        Assert.Equal(0, scan.ExitCode);
        var lines = scan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(lines[0], CultureInfo.InvariantCulture) > 100, $"only {lines[0]} files were scanned under /proc/sys");
        Assert.Empty(lines.Skip(1));
        Assert.Equal("", named.Stdout);
    }

    [Fact]
    public async Task ExecAsync_OpensEveryHostFileUnderProcForWriting_AllFail()
    {
        // Arrange
        await using var sandbox = await OpenAsync();

        // Act
        var scan = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", ProcWriteScan, "/proc"], Timeout = TimeSpan.FromSeconds(60) });
        var sysrq = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", "import os; os.open('/proc/sysrq-trigger', os.O_WRONLY)"] });

        // Assert
        Assert.Equal(0, scan.ExitCode);
        var lines = scan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(lines[0], CultureInfo.InvariantCulture) > 200, $"only {lines[0]} files were scanned under /proc");
        Assert.Empty(lines.Skip(1));
        Assert.NotEqual(0, sysrq.ExitCode);
        Assert.Contains("Error", sysrq.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecAsync_TriesToUncoverProc_FailsAndProcSysStaysReadOnly()
    {
        // Arrange
        await using var sandbox = await OpenAsync();
        const string Check = "python3 -c 'import os; os.open(\"/proc/sys/vm/drop_caches\", os.O_WRONLY)' 2>/dev/null && echo WRITABLE";

        // Act: take the cover off, mount a fresh procfs, get capabilities back in a new user namespace.
        var unmount = await sandbox.ExecAsync(ExecRequest.Shell($"umount /proc/sys || umount -l /proc/sys; {Check}; true"));
        var freshProc = await sandbox.ExecAsync(ExecRequest.Shell("mkdir -p /tmp/p && mount -t proc proc /tmp/p && echo MOUNTED"));
        var userNamespace = await sandbox.ExecAsync(ExecRequest.Shell($"unshare -Ur true && echo UNSHARED; unshare -Urm sh -c 'umount /proc/sys; mount -t proc proc /proc; {Check}'; true"));
        var remount = await sandbox.ExecAsync(ExecRequest.Shell($"mount -o remount,rw /proc/sys && echo REMOUNTED; {Check}; true"));

        // Assert
        Assert.DoesNotContain("WRITABLE", unmount.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MOUNTED", freshProc.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("UNSHARED", userNamespace.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("WRITABLE", userNamespace.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("WRITABLE", remount.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("REMOUNTED", remount.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecAsync_ReadsProcOfEveryProcess_SeesNoHostPathOrHostVariable()
    {
        // Arrange: a workspace as test runs get it (its own tmpfs), the host's variables holding a canary.
        const string Canary = "SPARRING_CANARY_HOST_ONLY";
        var canaryValue = "canary-" + Guid.NewGuid().ToString("N");
        using var source = new TempDirectory("sparring-hostpath-source-");
        source.Write("code.txt", "code");
        using var cache = new TempDirectory("sparring-hostpath-cache-");
        await using var workspace = await RepoWorkspace.CreateAsync(source.Path, Path.Combine(cache.Path, "workspaces"));
        Environment.SetEnvironmentVariable(Canary, canaryValue);
        try
        {
            await using var sandbox = await CreateSandboxAsync(workspace.TreePath, new SandboxOptions());
            var dump = "for p in /proc/[0-9]*; do echo \"== $p\"; tr '\\0' '\\n' < $p/cmdline; echo; tr '\\0' '\\n' < $p/environ; echo; "
                + "readlink $p/cwd $p/exe $p/root $p/fd/* 2>/dev/null; cat $p/mountinfo; done";

            // Act
            var result = await sandbox.ExecAsync(ExecRequest.Shell(dump));
            var init = await sandbox.ExecAsync(ExecRequest.Shell("tr '\\0' ' ' < /proc/1/cmdline; echo; tr '\\0' ' ' < /proc/1/environ"));

            // Assert
            Assert.Equal(0, result.ExitCode);
            Assert.NotNull(workspace.DiskQuotaBytes);
            Assert.Contains("== /proc/1\n", result.Stdout, StringComparison.Ordinal);
            Assert.Contains(" /repo ", result.Stdout, StringComparison.Ordinal);
            string[] secrets =
            [
                cache.Path, source.Path, workspace.Root, Path.GetFileName(workspace.Root), canaryValue, "sparring-sandbox-",
                Environment.CurrentDirectory,
            ];
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, result.Stdout, StringComparison.Ordinal));
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, init.Stdout, StringComparison.Ordinal));
            Assert.DoesNotContain("PWD=", init.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Canary, null);
        }
    }

    [Fact]
    public async Task ExecAsync_FillsWorkspacePastItsQuota_FailsWithEnospcAndReportsDiskFull()
    {
        // Arrange
        const long Quota = 8L << 20;
        using var source = new TempDirectory("sparring-quota-source-");
        source.Write("code.txt", "code");
        using var cache = new TempDirectory("sparring-quota-cache-");
        await using var workspace = await RepoWorkspace.CreateAsync(
            source.Path, Path.Combine(cache.Path, "workspaces"), options: new WorkspaceOptions { DiskQuotaBytes = Quota });
        await using var sandbox = await CreateSandboxAsync(workspace.TreePath, new SandboxOptions());

        // Act
        var fill = await sandbox.ExecAsync(ExecRequest.Shell("head -c 50000000 /dev/zero > big.bin; echo written=$?"));
        var size = new FileInfo(Path.Combine(workspace.TreePath, "big.bin")).Length;
        var hostWrite = await Record.ExceptionAsync(() => sandbox.WriteFileAsync("more.bin", new byte[1 << 20]));
        var freed = await sandbox.ExecAsync(ExecRequest.Shell("rm big.bin more.bin; echo small > small.txt; cat code.txt"));

        // Assert
        Assert.Equal(Quota, workspace.DiskQuotaBytes);
        Assert.Contains("No space left on device", fill.Stderr, StringComparison.Ordinal);
        Assert.Equal("written=1\n", fill.Stdout);
        Assert.True(fill.DiskFull);
        Assert.InRange(size, Quota - (1 << 20), Quota);
        Assert.IsAssignableFrom<IOException>(hostWrite);
        Assert.Contains("8 MiB", workspace.DiskFullMessage, StringComparison.Ordinal);
        Assert.Contains("--disk-quota", workspace.DiskFullMessage, StringComparison.Ordinal);
        Assert.Equal(0, freed.ExitCode);
        Assert.False(freed.DiskFull);
        Assert.Equal("code", freed.Stdout);
    }

    [Fact]
    public async Task ExecAsync_FillsTmpAndShm_FailsWithEnospcAndDevIsReadOnly()
    {
        // Arrange
        await using var sandbox = await OpenAsync(new SandboxOptions { TmpSizeBytes = 4L << 20 });

        // Act
        var tmp = await sandbox.ExecAsync(ExecRequest.Shell("head -c 20000000 /dev/zero > /tmp/big; echo rc=$?; stat -c %s /tmp/big"));
        var home = await sandbox.ExecAsync(ExecRequest.Shell("head -c 20000000 /dev/zero > $HOME/big; echo rc=$?"));
        var shm = await sandbox.ExecAsync(ExecRequest.Shell("head -c 20000000 /dev/zero > /dev/shm/big; echo rc=$?"));
        var dev = await sandbox.ExecAsync(ExecRequest.Shell("head -c 1000 /dev/zero > /dev/big; echo rc=$?; echo ok > /dev/null && echo null-ok"));
        var defaults = await sandbox.ExecAsync(ExecRequest.Shell("echo fine > /tmp/small && cat /tmp/small"));

        // Assert
        Assert.Contains("No space left on device", tmp.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("rc=1\n", tmp.Stdout, StringComparison.Ordinal);
        Assert.InRange(long.Parse(tmp.Stdout.Split('\n')[1], CultureInfo.InvariantCulture), 1, 4L << 20);
        Assert.Contains("No space left on device", home.Stderr, StringComparison.Ordinal);
        Assert.Contains("No space left on device", shm.Stderr, StringComparison.Ordinal);
        Assert.Equal("rc=1\nnull-ok\n", dev.Stdout);
        Assert.Equal("fine\n", defaults.Stdout);
        Assert.False(tmp.DiskFull);
    }

    // ---- Helpers ---------------------------------------------------------------------------

    /// <summary>
    /// Puts into the workspace a folder <c>sub</c> and links leading into <paramref name="outside"/> (which gets
    /// <c>secret.txt</c> and a folder <c>folder</c>): <c>link-to-outside</c> (the folder itself),
    /// <c>link-to-outside-file</c>, <c>link-to-missing-outside</c>, <c>loop</c>, and <c>here</c> (to <c>.</c>) beside
    /// <c>up</c> (relative, up and out). Returns the secret file's path.
    /// </summary>
    private string MakeWaysOut(TempDirectory outside)
    {
        var secret = outside.Write("secret.txt", "host secret");
        Directory.CreateDirectory(Path.Combine(outside.Path, "folder"));
        Directory.CreateDirectory(Path.Combine(Workspace.Path, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(Workspace.Path, "link-to-outside"), outside.Path);
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "link-to-outside-file"), secret);
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "link-to-missing-outside"), Path.Combine(outside.Path, "missing"));
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "loop"), "loop");
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "here"), ".");
        File.CreateSymbolicLink(Path.Combine(Workspace.Path, "up"), Path.GetRelativePath(Workspace.Path, outside.Path));
        return secret;
    }

    /// <summary>A unique token to put in command lines, so leftover processes can be found exactly.</summary>
    protected static string NewMarker() => "sparring-mark-" + Guid.NewGuid().ToString("N");

    /// <summary>Host processes whose command line contains <paramref name="marker"/>, after giving killed ones a moment to go.</summary>
    protected static async Task<IReadOnlyList<string>> WaitForNoProcessesAsync(string marker)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var found = ProcessesWithMarker(marker);
            if (found.Count == 0 || deadline.Elapsed > TimeSpan.FromSeconds(3))
            {
                return found;
            }

            await Task.Delay(50);
        }
    }

    private static List<string> ProcessesWithMarker(string marker)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {cmdline}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    private static string ReadStatusState(int pid) =>
        File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").First(l => l.StartsWith("State:", StringComparison.Ordinal));

    private static Dictionary<string, string> ParseEnv(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
}
