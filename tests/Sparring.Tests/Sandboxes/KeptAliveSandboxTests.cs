using System.Globalization;
using Sparring.Sandboxes;

namespace Sparring.Tests.Sandboxes;

/// <summary>
/// The conformance suite over one bubblewrap sandbox kept running for all its commands, plus red-team tests of what
/// only a kept sandbox has: a command runner a command can reach, and state that could carry over.
/// </summary>
public sealed class KeptAliveSandboxTests : SandboxConformanceTests
{
    private readonly BubblewrapSandboxProvider _provider = new();

    protected override Task<ISandbox> CreateSandboxAsync(string workspace, SandboxOptions options) =>
        _provider.CreateAsync(workspace, options with { KeepAlive = true });

    /// <summary>The command's pid, then the start time of the sandbox's init (field 22 of its stat).</summary>
    private const string SandboxIdentity = "echo $$; cut -d' ' -f22 /proc/1/stat";

    /// <summary>A kept sandbox that is not stopped between a test's commands, however slow the machine.</summary>
    private Task<ISandbox> OpenKeptAsync() =>
        CreateSandboxAsync(Workspace.Path, new SandboxOptions { DefaultTimeout = TimeSpan.FromSeconds(30), KeepAliveIdle = TimeSpan.FromSeconds(60) });

    [Fact]
    public async Task ExecAsync_SeveralCommands_RunInOneSandbox()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();

        // Act: a fresh sandbox per command would give every command the same pid and its own init.
        var first = await sandbox.ExecAsync(ExecRequest.Shell(SandboxIdentity));
        var second = await sandbox.ExecAsync(ExecRequest.Shell(SandboxIdentity));

        // Assert
        var one = first.Stdout.Split('\n');
        var two = second.Stdout.Split('\n');
        Assert.True(int.Parse(two[0], CultureInfo.InvariantCulture) > int.Parse(one[0], CultureInfo.InvariantCulture), first.Stdout + second.Stdout);
        Assert.Equal(one[1], two[1]);
    }

    [Fact]
    public async Task ExecAsync_AfterTheIdleTime_RunsInANewSandbox()
    {
        // Arrange
        await using var sandbox = await CreateSandboxAsync(Workspace.Path, new SandboxOptions { KeepAliveIdle = TimeSpan.FromSeconds(2) });

        // Act
        var first = await sandbox.ExecAsync(ExecRequest.Shell(SandboxIdentity));
        var soon = await sandbox.ExecAsync(ExecRequest.Shell(SandboxIdentity));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var late = await sandbox.ExecAsync(ExecRequest.Shell(SandboxIdentity));

        // Assert: the same init (its start time) for the quick one, a new one after the pause.
        Assert.Equal(first.Stdout.Split('\n')[1], soon.Stdout.Split('\n')[1]);
        Assert.NotEqual(first.Stdout.Split('\n')[1], late.Stdout.Split('\n')[1]);
    }

    [Fact]
    public async Task ExecAsync_CommandKillsTheRunner_IsAResultAndTheNextCommandRunsInANewSandbox()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();

        // Act
        var killer = await sandbox.ExecAsync(ExecRequest.Shell("echo before; kill -9 $PPID; sleep 1; echo after"));
        var next = await sandbox.ExecAsync(ExecRequest.Shell("echo next"));

        // Assert
        Assert.Equal(137, killer.ExitCode);
        Assert.False(killer.TimedOut);
        Assert.Contains("before", killer.Stdout, StringComparison.Ordinal);
        Assert.Contains("command runner", killer.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal("next\n", next.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandForgesTheRunnersAnswers_CannotReachThemAndEveryExitCodeIsReal()
    {
        // Arrange: the command finds its own number and tries to answer for the runner, for itself and for the next
        // command, to flood the answers, and to open the runner's memory.
        await using var sandbox = await OpenKeptAsync();
        const string Forge = "n=$(readlink /proc/self/fd/0); n=${n##*/}; n=${n%.in}; "
            + "printf 'done %s 0 1\\nstarted %s\\ndone %s 42 1\\n' $n $((n+1)) $((n+1)) > /proc/$PPID/fd/1 || echo refused >&2; "
            + "head -c 100000 /dev/zero > /proc/$PPID/fd/1 || echo refused >&2; "
            + "exec 3< /proc/$PPID/mem || echo refused >&2; exit 7";

        // Act
        var forged = await sandbox.ExecAsync(ExecRequest.Shell(Forge));
        var next = await sandbox.ExecAsync(ExecRequest.Shell("echo ran; exit 5"));
        var third = await sandbox.ExecAsync(ExecRequest.Shell("echo third"));

        // Assert
        Assert.Equal(7, forged.ExitCode);
        Assert.Equal(3, forged.Stderr.Split('\n').Count(l => l == "refused"));
        Assert.Contains("Permission denied", forged.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, next.ExitCode);
        Assert.Equal("ran\n", next.Stdout);
        Assert.Equal("third\n", third.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandWritesThroughTheSandboxInitsDescriptors_CannotReachTheRunnersPipes()
    {
        // Arrange: the sandbox's init (bwrap, pid 1) is dumpable; its descriptors must lead nowhere the host reads answers from.
        await using var sandbox = await OpenKeptAsync();
        const string Forge = "n=$(readlink /proc/self/fd/0); n=${n##*/}; n=${n%.in}; ls -l /proc/1/fd/ >&2; "
            + "for fd in 0 1 2; do printf 'done %s 0 1\\nstarted %s\\ndone %s 42 1\\n' $n $((n+1)) $((n+1)) > /proc/1/fd/$fd; done; "
            + "printf 'run 999\\n' > /proc/1/fd/0; exit 7";

        // Act
        var forged = await sandbox.ExecAsync(ExecRequest.Shell(Forge));
        var next = await sandbox.ExecAsync(ExecRequest.Shell("echo ran; exit 5"));

        // Assert
        Assert.Equal(7, forged.ExitCode);
        Assert.Equal(5, next.ExitCode);
        Assert.Equal("ran\n", next.Stdout);
    }

    [Fact]
    public async Task ExecAsync_SignalDispositions_AreThoseOfAFreshSandbox()
    {
        // Arrange: a background job of a shell without job control ignores SIGINT and SIGQUIT; a command must not.
        await using var kept = await OpenKeptAsync();
        await using var fresh = await new BubblewrapSandboxProvider().CreateAsync(Workspace.Path, new SandboxOptions());
        const string Show = "grep -E '^Sig(Ign|Blk)' /proc/self/status";

        // Act
        var inKept = await kept.ExecAsync(new ExecRequest { Command = ["/bin/sh", "-c", Show] });
        var inFresh = await fresh.ExecAsync(new ExecRequest { Command = ["/bin/sh", "-c", Show] });

        // Assert
        Assert.Contains("SigIgn:", inKept.Stdout, StringComparison.Ordinal);
        Assert.Equal(inFresh.Stdout, inKept.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandKillsItsOwnProcessGroup_EndsAsInAFreshSandboxAndTheRunnerLives()
    {
        // Arrange: `kill 0` (scripts' `trap 'kill 0' EXIT`) signals the caller's process group.
        await using var kept = await OpenKeptAsync();
        await using var fresh = await new BubblewrapSandboxProvider().CreateAsync(Workspace.Path, new SandboxOptions());
        const string KillGroup = "echo before; kill 0; echo after";

        // Act
        var first = await kept.ExecAsync(ExecRequest.Shell(SandboxIdentity));
        var inKept = await kept.ExecAsync(ExecRequest.Shell(KillGroup));
        var inFresh = await fresh.ExecAsync(ExecRequest.Shell(KillGroup));
        var next = await kept.ExecAsync(ExecRequest.Shell(SandboxIdentity));

        // Assert
        Assert.Equal(inFresh.ExitCode, inKept.ExitCode);
        Assert.Equal("before\n", inKept.Stdout);
        Assert.DoesNotContain("command runner", inKept.Stderr, StringComparison.Ordinal);
        Assert.Equal(first.Stdout.Split('\n')[1], next.Stdout.Split('\n')[1]);
    }

    [Fact]
    public async Task ExecAsync_CommandLowersTheRunnersLimitsAndPriority_TheNextCommandStartsAsTheFirstDid()
    {
        // Arrange: what a command inherits from its parent, the runner, and a same-user process may change.
        await using var sandbox = await OpenKeptAsync();
        const string Show = "ulimit -f; ulimit -n; ulimit -t; nice; cat /proc/self/oom_score_adj; grep Cpus_allowed_list /proc/self/status; chrt -p $$ | sed 's/.*: //'";
        var before = await sandbox.ExecAsync(ExecRequest.Shell(Show));

        // Act
        var lower = await sandbox.ExecAsync(ExecRequest.Shell(
            "prlimit --pid $PPID --fsize=1000 --nofile=64 --cpu=3 && renice -n 19 -p $PPID > /dev/null && taskset -p 1 $PPID > /dev/null "
            + "&& chrt -i -p 0 $PPID && echo 1000 > /proc/$PPID/oom_score_adj && echo lowered"));
        var after = await sandbox.ExecAsync(ExecRequest.Shell(Show));
        var write = await sandbox.ExecAsync(ExecRequest.Shell("head -c 20000 /dev/zero > big && wc -c < big"));

        // Assert
        Assert.Equal("lowered\n", lower.Stdout);
        Assert.Equal(0, before.ExitCode);
        Assert.Equal(before.Stdout, after.Stdout);
        Assert.Equal("20000\n", write.Stdout);
    }

    [Fact]
    public async Task ExecAsync_LargeStandardInput_IsDelivered()
    {
        // Arrange: more than a small control folder would hold.
        await using var sandbox = await OpenKeptAsync();
        var input = new byte[80 * 1024 * 1024];
        input.AsSpan().Fill((byte)'x');

        // Act
        var result = await sandbox.ExecAsync(new ExecRequest { Command = ["wc", "-c"], StandardInput = input });

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("83886080\n", result.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandStopsTheRunner_TimesOutAndTheSandboxRecovers()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();

        // Act
        var stopper = await sandbox.ExecAsync(ExecRequest.Shell("kill -STOP $PPID; echo stopped", TimeSpan.FromSeconds(3)));
        var next = await sandbox.ExecAsync(ExecRequest.Shell("echo next"));

        // Assert
        Assert.True(stopper.TimedOut);
        Assert.Equal(124, stopper.ExitCode);
        Assert.Contains("stopped", stopper.Stdout, StringComparison.Ordinal);
        Assert.Equal("next\n", next.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandWritesIntoTheControlFolder_FailsAndTheNextCommandIsUntouched()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();

        // Act: plant the next command's request, and fill the folder.
        var plant = await sandbox.ExecAsync(ExecRequest.Shell(
            "ls /run/sparring-exec; printf '/\\0000\\0/bin/echo\\0planted\\0' > /run/sparring-exec/2.req || echo refused; "
            + "head -c 1000000 /dev/zero > /run/sparring-exec/fill || echo refused"));
        var next = await sandbox.ExecAsync(new ExecRequest { Command = ["echo", "genuine"] });

        // Assert
        Assert.Equal("refused\nrefused\n", plant.Stdout[plant.Stdout.IndexOf("refused", StringComparison.Ordinal)..]);
        Assert.Contains("Read-only file system", plant.Stderr, StringComparison.Ordinal);
        Assert.Equal("genuine\n", next.Stdout);
    }

    [Fact]
    public async Task ExecAsync_CommandMakesTmpUnusable_TheNextCommandGetsAFreshTmp()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();

        // Act
        var spoil = await sandbox.ExecAsync(ExecRequest.Shell("mkdir /tmp/locked && touch /tmp/locked/f && chmod 000 /tmp/locked /tmp/home && chmod 000 /tmp"));
        var next = await sandbox.ExecAsync(ExecRequest.Shell("ls -A /tmp; touch /tmp/x $HOME/y && echo writable"));

        // Assert
        Assert.Equal(0, spoil.ExitCode);
        Assert.Equal("home\nwritable\n", next.Stdout);
    }

    [Fact]
    public async Task ExecAsync_SystemVSharedMemoryLeftBehind_IsGoneForTheNextCommand()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();

        // Act
        var make = await sandbox.ExecAsync(ExecRequest.Shell("ipcmk -M 4096 && ipcmk -Q && ipcs -m -q | grep -c 0x"));
        var next = await sandbox.ExecAsync(ExecRequest.Shell("ipcs -m -q | grep -c 0x"));

        // Assert
        Assert.Equal(0, make.ExitCode);
        Assert.Equal("2", make.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal("0\n", next.Stdout);
    }

    [Fact]
    public async Task ExecAsync_PosixMessageQueueLeftBehind_IsGoneForTheNextCommand()
    {
        // Arrange
        await using var sandbox = await OpenKeptAsync();
        const string Open = "import ctypes, os, sys\nrt = ctypes.CDLL('librt.so.1', use_errno=True)\n"
            + "fd = rt.mq_open(b'/sparring-carry', os.O_RDWR | (os.O_CREAT if sys.argv[1] == 'create' else 0), 0o600, None)\nprint('open' if fd >= 0 else 'missing')";

        // Act
        var make = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", Open, "create"] });
        var next = await sandbox.ExecAsync(new ExecRequest { Command = ["python3", "-c", Open, "find"] });

        // Assert
        Assert.Equal("open\n", make.Stdout);
        Assert.Equal("missing\n", next.Stdout);
    }

    [Fact]
    public async Task DisposeAsync_WhileIdle_LeavesNoProcessAndRefusesFurtherCommands()
    {
        // Arrange
        var sandbox = await OpenKeptAsync();
        var first = await sandbox.ExecAsync(ExecRequest.Shell("readlink /proc/self/ns/pid"));
        var namespaceLink = first.Stdout.Trim();
        var running = ProcessesIn(namespaceLink);

        // Act
        await sandbox.DisposeAsync();
        var after = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell("true")));

        // Assert: the server and the sandbox's init (the processes of its PID namespace) are gone.
        Assert.Equal(0, first.ExitCode);
        Assert.NotEmpty(running);
        Assert.IsType<ObjectDisposedException>(after);
        for (var wait = 0; wait < 100 && ProcessesIn(namespaceLink).Count > 0; wait++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(ProcessesIn(namespaceLink));
    }

    /// <summary>Host processes in the PID namespace <paramref name="namespaceLink"/> (<c>pid:[inode]</c>).</summary>
    private static List<int> ProcessesIn(string namespaceLink)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    if (new FileInfo(Path.Combine(entry, "ns", "pid")).LinkTarget == namespaceLink)
                    {
                        found.Add(pid);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }

        return found;
    }
}
