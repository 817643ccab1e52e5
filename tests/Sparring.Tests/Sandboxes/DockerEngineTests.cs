using System.Diagnostics;
using System.Globalization;
using System.Net;
using Docker.DotNet.Models;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Sandboxes;

/// <summary>
/// What only the Docker backend has: containers labelled with their owner and run, the reaper of what killed
/// processes left, the engine and image checks, and commands spread over several engines, one of which dies. The
/// conformance suite over Docker is <see cref="DockerSandboxTests"/>.
/// </summary>
public sealed class DockerEngineTests : IClassFixture<SecondDockerEngine>, IAsyncLifetime
{
    /// <summary>How long a container may take to show up in a listing once its command is sent.</summary>
    private static readonly TimeSpan Appears = TimeSpan.FromSeconds(30);

    private static readonly SandboxOptions Options = new() { DefaultTimeout = TimeSpan.FromSeconds(60) };

    private readonly SecondDockerEngine _second;
    private readonly TempDirectory _workspace = new("sparring-docker-");

    /// <summary>This test's run label: every container it makes carries it (or <see cref="OtherRun"/>), and the end removes them.</summary>
    private readonly string _run = "test-" + Guid.NewGuid().ToString("N")[..12];

    private DockerSandboxSettings _settings = null!;

    public DockerEngineTests(SecondDockerEngine second) => _second = second;

    private string OtherRun => _run + "-other";

    private static string Machine => Dns.GetHostName();

    /// <summary>This process as an owner label, read the way <c>OwnerProcess</c> writes it.</summary>
    private static string LiveOwner => $"{Machine}/{Environment.ProcessId}-{StartTime(Environment.ProcessId)}";

    public async Task InitializeAsync() => _settings = await DockerEngines.SettingsAsync(_run);

    public async Task DisposeAsync()
    {
        // Whatever a test left, even when it failed halfway: its runs' containers on every engine it may have used.
        Uri[] hosts = _second.Started is { IsRunning: true } daemon ? [DockerSandboxSettings.DefaultHost, daemon.Tcp] : [DockerSandboxSettings.DefaultHost];
        using (var provider = new DockerSandboxProvider(_settings with { Hosts = hosts }))
        {
            await provider.RemoveRunAsync(_run);
            await provider.RemoveRunAsync(OtherRun);
        }

        _workspace.Dispose();
    }

    // ---- Network -----------------------------------------------------------------------------

    [Fact]
    public async Task ExecAsync_NetworkOnlyWhenAsked_AnInterfaceBesidesLoopback()
    {
        // Arrange: preparation asks for the network (the engine's default bridge); test runs and agents do not.
        using var provider = new DockerSandboxProvider(_settings);
        await using var networked = await provider.CreateAsync(_workspace.Path, Options with { Network = true });
        await using var isolated = await provider.CreateAsync(_workspace.Path, Options);
        const string Interfaces = "ls /sys/class/net | sort | tr '\\n' ' '";

        // Act
        var with = await networked.ExecAsync(ExecRequest.Shell(Interfaces));
        var without = await isolated.ExecAsync(ExecRequest.Shell(Interfaces));

        // Assert
        Assert.Equal(0, with.ExitCode);
        Assert.Contains("eth0", with.Stdout, StringComparison.Ordinal);
        Assert.Equal("lo ", without.Stdout);
    }

    // ---- Labels ----------------------------------------------------------------------------

    [Fact]
    public async Task ListAsync_WhileACommandRuns_ShowsItsContainerLabelledWithRunAndOwner()
    {
        // Arrange
        using var provider = new DockerSandboxProvider(_settings);
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);
        var command = sandbox.ExecAsync(ExecRequest.Shell("while [ ! -e go ]; do sleep 0.1; done; echo finished"));

        // Act
        var during = await WaitForRunAsync(provider, c => c.Exists(x => x.Container.State == "running"), command);
        _workspace.Write("go", "");
        var result = await command;
        var after = Ours(await provider.ListAsync());

        // Assert
        var (host, container) = Assert.Single(during);
        Assert.Equal(DockerSandboxSettings.DefaultHost, host);
        Assert.Equal("running", container.State);
        Assert.Equal(_settings.Image, container.Image);
        Assert.NotNull(container.Labels);
        Assert.Equal("1", container.Labels["sparring.sandbox"]);
        Assert.Equal(_run, container.Labels["sparring.run"]);
        Assert.Equal(LiveOwner, container.Labels["sparring.owner"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("finished\n", result.Stdout);
        Assert.Empty(after);
    }

    [Fact]
    public async Task ExecAsync_TimedOutOrCancelled_RemovesItsContainer()
    {
        // Arrange
        using var provider = new DockerSandboxProvider(_settings);
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);
        using var cancel = new CancellationTokenSource();

        // Act
        var timedOut = await sandbox.ExecAsync(ExecRequest.Shell("sleep 60", TimeSpan.FromSeconds(2)));
        var afterTimeout = Ours(await provider.ListAsync());
        var cancelled = sandbox.ExecAsync(ExecRequest.Shell("sleep 60"), cancel.Token);
        var during = await WaitForRunAsync(provider, c => c.Exists(x => x.Container.State == "running"), cancelled);
        await cancel.CancelAsync();
        var error = await Record.ExceptionAsync(() => cancelled);
        var afterCancel = Ours(await provider.ListAsync());

        // Assert
        Assert.True(timedOut.TimedOut);
        Assert.Equal(124, timedOut.ExitCode);
        Assert.Empty(afterTimeout);
        Assert.Equal("running", Assert.Single(during).Container.State);
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Empty(afterCancel);
    }

    // ---- The reaper ------------------------------------------------------------------------

    [Fact]
    public async Task RemoveAbandonedAsync_OwnersGoneFromThisMachine_RemovesOnlyTheirContainers()
    {
        // Arrange: a process of this machine killed like a kill -9 of Sparring, and an earlier process that had our pid.
        using var provider = new DockerSandboxProvider(_settings);
        string dead;
        using (var process = Process.Start("sleep", ["60"]))
        {
            dead = $"{process.Id}-{StartTime(process.Id)}";
            process.Kill();
            await process.WaitForExitAsync();
        }

        var deadOwner = await StartLabelledAsync($"{Machine}/{dead}", _run);
        var earlierOwner = await StartLabelledAsync($"{Machine}/{Environment.ProcessId}-{StartTime(Environment.ProcessId) + 1}", _run);
        var liveOwner = await StartLabelledAsync(LiveOwner, _run);
        var otherMachine = await StartLabelledAsync($"elsewhere-{_run}/{dead}", _run);

        // Act
        var removed = await provider.RemoveAbandonedAsync();
        var left = Ours(await provider.ListAsync()).Select(c => c.Container.ID).ToList();
        var removedWithTheRun = await provider.RemoveRunAsync(_run);
        var afterTheRun = Ours(await provider.ListAsync());

        // Assert
        Assert.False(Directory.Exists($"/proc/{dead.Split('-')[0]}"), "the dead owner's pid is in use again");
        Assert.True(removed >= 2, $"removed {removed}"); // also any that killed test hosts of this machine left
        Assert.DoesNotContain(deadOwner, left);
        Assert.DoesNotContain(earlierOwner, left);
        Assert.Contains(liveOwner, left);
        Assert.Contains(otherMachine, left);
        Assert.Equal(2, removedWithTheRun);
        Assert.Empty(afterTheRun);
    }

    [Fact]
    public async Task RemoveRunAsync_TwoRuns_RemovesOnlyThatRunsContainers()
    {
        // Arrange
        using var provider = new DockerSandboxProvider(_settings);
        var mine = await StartLabelledAsync(LiveOwner, _run);
        var mineElsewhere = await StartLabelledAsync($"elsewhere-{_run}/1-1", _run);
        var theirs = await StartLabelledAsync(LiveOwner, OtherRun);

        // Act
        var removed = await provider.RemoveRunAsync(_run);
        var left = (await provider.ListAsync()).Select(c => c.Container.ID).ToList();

        // Assert
        Assert.Equal(2, removed);
        Assert.DoesNotContain(mine, left);
        Assert.DoesNotContain(mineElsewhere, left);
        Assert.Contains(theirs, left);
    }

    // ---- Checks ----------------------------------------------------------------------------

    [Fact]
    public async Task CheckAvailableAsync_DefaultEngineWithTheTestsImage_ReportsNoProblem()
    {
        // Arrange
        using var provider = new DockerSandboxProvider(_settings);

        // Act
        var problem = await provider.CheckAvailableAsync();

        // Assert
        Assert.Null(problem);
        Assert.Equal("docker", provider.Name);
        Assert.Equal([DockerSandboxSettings.DefaultHost], provider.Hosts);
    }

    [Fact]
    public async Task CheckAvailableAsync_ImageMissing_NamesTheImageAndHowToBuildIt()
    {
        // Arrange
        using var provider = new DockerSandboxProvider(_settings with { Image = "sparring-base:no-such-tag" });
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);

        // Act
        var problem = await provider.CheckAvailableAsync();
        var error = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell("echo ran")));
        var left = Ours(await provider.ListAsync());

        // Assert
        Assert.NotNull(problem);
        Assert.Contains("'sparring-base:no-such-tag'", problem, StringComparison.Ordinal);
        Assert.Contains($"sparring images build --docker-host {DockerSandboxSettings.DefaultHost}", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("does not answer", problem, StringComparison.Ordinal);
        var refused = Assert.IsType<SandboxException>(error);
        Assert.Contains("'sparring-base:no-such-tag'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("sparring images build", refused.Message, StringComparison.Ordinal);
        Assert.Empty(left);
    }

    [Fact]
    public async Task CheckAvailableAsync_NoSuchSocket_SaysTheEngineDoesNotAnswerPromptly()
    {
        // Arrange
        var missing = new Uri($"unix:///tmp/no-such-docker-{_run}.sock");
        using var provider = new DockerSandboxProvider(_settings with { Hosts = [missing] });
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var problem = await provider.CheckAvailableAsync();
        var checkTook = stopwatch.Elapsed;
        var error = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell("echo ran")));
        var took = stopwatch.Elapsed;

        // Assert
        Assert.NotNull(problem);
        Assert.Contains($"{missing} does not answer", problem, StringComparison.Ordinal);
        Assert.Contains("Start dockerd", problem, StringComparison.Ordinal);
        Assert.True(checkTook < TimeSpan.FromSeconds(5), $"the check took {checkTook}");
        var refused = Assert.IsType<SandboxException>(error);
        Assert.Contains(missing.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(10), $"the check and the command took {took}");
    }

    [Fact]
    public async Task CheckAvailableAsync_NotADockerEngine_SaysItDoesNotAnswerAndTheReaperSkipsIt()
    {
        // Arrange: a web server where the engine should be (a --docker-host with the wrong port).
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var server = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--directory", _workspace.Path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var web = new Uri($"tcp://127.0.0.1:{port}");
            await WaitForPortAsync(port);
            using var provider = new DockerSandboxProvider(_settings with { Hosts = [web] });
            await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);

            // Act
            var error = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell("echo ran")));
            var problem = await provider.CheckAvailableAsync();
            var listed = await Record.ExceptionAsync(() => provider.ListAsync());
            var removed = await provider.RemoveAbandonedAsync();

            // Assert
            Assert.NotNull(problem);
            Assert.Contains($"{web} does not answer (a ping got HTTP 404: is it a Docker engine?)", problem, StringComparison.Ordinal);
            Assert.Null(listed);
            Assert.Equal(0, removed);
            var refused = Assert.IsType<SandboxException>(error);
            Assert.Contains(web.ToString(), refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ExecAsync_EngineThatAcceptsButNeverAnswers_IsLeftOutAfterTheRequestTimeout()
    {
        // Arrange: a listener that takes every connection and never writes a byte, listed before the real engine.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<System.Net.Sockets.TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                held.Add(await listener.AcceptTcpClientAsync(stop.Token));
            }
        });
        var hung = new Uri(string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
        using var alone = new DockerSandboxProvider(_settings with { Hosts = [hung], RequestTimeout = TimeSpan.FromSeconds(2) });
        using var both = new DockerSandboxProvider(_settings with { Hosts = [hung, DockerSandboxSettings.DefaultHost], RequestTimeout = TimeSpan.FromSeconds(2) });
        await using var onlyHung = await alone.CreateAsync(_workspace.Path, Options);
        await using var either = await both.CreateAsync(_workspace.Path, Options);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var refused = await Assert.ThrowsAsync<SandboxException>(() => onlyHung.ExecAsync(ExecRequest.Shell("echo never")));
        var refusedAfter = stopwatch.Elapsed;
        var result = await either.ExecAsync(ExecRequest.Shell("echo ran"));

        // Assert: bounded by the request timeout, not the client's default; the answering engine took the command.
        Assert.Contains("No Docker engine answers", refused.Message, StringComparison.Ordinal);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(30), $"the refusal took {refusedAfter}");
        Assert.Equal("ran\n", result.Stdout);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
        held.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task ExecAsync_FirstEngineMissing_RunsOnTheOneThatAnswers()
    {
        // Arrange
        var missing = new Uri($"unix:///tmp/no-such-docker-{_run}.sock");
        using var provider = new DockerSandboxProvider(_settings with { Hosts = [missing, DockerSandboxSettings.DefaultHost] });
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);

        // Act
        var first = await sandbox.ExecAsync(ExecRequest.Shell("echo first"));
        var second = await sandbox.ExecAsync(ExecRequest.Shell("echo second"));
        var problem = await provider.CheckAvailableAsync();
        var listed = await provider.ListAsync();

        // Assert
        Assert.Equal((0, "first\n"), (first.ExitCode, first.Stdout));
        Assert.Equal((0, "second\n"), (second.ExitCode, second.Stdout));
        Assert.Null(problem);
        Assert.DoesNotContain(listed, c => c.Host == missing);
    }

    // ---- Two engines -----------------------------------------------------------------------

    [Fact]
    public async Task ExecAsync_TwoEnginesOneSlotEach_RunsCommandsOnBothAtOnce()
    {
        // Arrange
        var second = await _second.GetAsync();
        using var provider = new DockerSandboxProvider(_settings with { Hosts = [DockerSandboxSettings.DefaultHost, second.Tcp], MaxContainersPerHost = 1 });
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);
        var problem = await provider.CheckAvailableAsync();

        // Act
        var commands = Enumerable.Range(0, 4).Select(i => sandbox.ExecAsync(ExecRequest.Shell($"sleep 2; echo {i}"))).ToList();
        var samples = new List<List<(Uri Host, ContainerListResponse Container)>>();
        while (!commands.TrueForAll(c => c.IsCompleted))
        {
            samples.Add(Ours(await provider.ListAsync()));
            await Task.Delay(100);
        }

        var results = await Task.WhenAll(commands);
        var after = Ours(await provider.ListAsync());

        // Assert
        Assert.Null(problem);
        Assert.Equal(["0\n", "1\n", "2\n", "3\n"], results.Select(r => r.Stdout));
        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        Assert.Contains(samples, s => s.Where(c => c.Container.State == "running").Select(c => c.Host).Distinct().Count() == 2);
        Assert.All(samples, s => Assert.All(s.GroupBy(c => c.Host), onOneHost => Assert.Single(onOneHost)));
        Assert.Equal(4, samples.SelectMany(s => s).Select(c => c.Container.ID).Distinct().Count());
        Assert.Empty(after);
    }

    [Fact]
    public async Task ExecAsync_SecondEngineKilled_CommandsRunOnTheFirstAndTheDeadOneIsLeftOut()
    {
        // Arrange
        var second = await _second.GetAsync();
        using var provider = new DockerSandboxProvider(_settings with
        {
            Hosts = [DockerSandboxSettings.DefaultHost, second.Tcp],
            MaxContainersPerHost = 1,
            HostRetryDelay = TimeSpan.FromMinutes(5),
        });
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);

        // Both engines serve a pair of commands first, so the client holds connections to the one that is then killed.
        var before = await Task.WhenAll(sandbox.ExecAsync(ExecRequest.Shell("sleep 1; echo a")), sandbox.ExecAsync(ExecRequest.Shell("sleep 1; echo b")));

        // Act
        second.Kill();
        var stopwatch = Stopwatch.StartNew();

        // With the first engine's one slot taken, the second command of the pair goes to the dead engine first.
        var pair = await Task.WhenAll(sandbox.ExecAsync(ExecRequest.Shell("sleep 1; echo c")), sandbox.ExecAsync(ExecRequest.Shell("echo d")));
        var after = await sandbox.ExecAsync(ExecRequest.Shell("echo e"));
        var took = stopwatch.Elapsed;
        var problem = await provider.CheckAvailableAsync();
        var listed = await provider.ListAsync();

        // Assert
        Assert.Equal(["a\n", "b\n"], before.Select(r => r.Stdout));
        Assert.False(second.IsRunning);
        Assert.Equal(["c\n", "d\n"], pair.Select(r => r.Stdout));
        Assert.All(pair, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal((0, "e\n"), (after.ExitCode, after.Stdout));
        Assert.True(took < TimeSpan.FromSeconds(30), $"three commands after the kill took {took}");
        Assert.Null(problem);
        Assert.DoesNotContain(listed, c => c.Host == second.Tcp);
    }

    [Fact]
    public async Task ExecAsync_EngineKilledDuringACommand_FailsPromptlyNamingTheEngine()
    {
        // Arrange
        var second = await _second.GetAsync();
        using var provider = new DockerSandboxProvider(_settings with { Hosts = [second.Tcp], HostRetryDelay = TimeSpan.FromMinutes(5) });
        await using var sandbox = await provider.CreateAsync(_workspace.Path, Options);
        var command = sandbox.ExecAsync(ExecRequest.Shell("sleep 60"));
        var during = await WaitForRunAsync(provider, c => c.Exists(x => x.Container.State == "running"), command);

        // Act
        second.Kill();
        var stopwatch = Stopwatch.StartNew();
        var error = await Record.ExceptionAsync(() => command);
        var took = stopwatch.Elapsed;
        var next = await Record.ExceptionAsync(() => sandbox.ExecAsync(ExecRequest.Shell("echo after")));

        // Assert
        Assert.Equal(second.Tcp, Assert.Single(during).Host);
        var failed = Assert.IsType<SandboxException>(error);
        Assert.Contains(second.Tcp.ToString(), failed.Message, StringComparison.Ordinal);
        Assert.Contains("stopped answering", failed.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(10), $"the command took {took} to fail after its engine was killed");
        var refused = Assert.IsType<SandboxException>(next);
        Assert.Contains("No Docker engine answers", refused.Message, StringComparison.Ordinal);
    }

    // ---- Settings --------------------------------------------------------------------------

    [Theory]
    [InlineData("unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]
    [InlineData("/run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375/")]
    [InlineData("tcp://docker-2.example:2376", "tcp://docker-2.example:2376/")]
    public void ParseHost_AcceptedForm_ReturnsTheEngineAddress(string value, string expected)
    {
        // Act
        var host = DockerSandboxSettings.ParseHost(value);

        // Assert
        Assert.Equal(new Uri(expected), host);
        Assert.Equal(expected, host.ToString());
    }

    [Theory]
    [InlineData("docker.sock")]
    [InlineData("unix://")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("ssh://me@docker-2.example")]
    [InlineData("127.0.0.1:2375")]
    [InlineData("")]
    public void ParseHost_OtherForm_ThrowsListingTheAcceptedForms(string value)
    {
        // Act
        var error = Record.Exception(() => DockerSandboxSettings.ParseHost(value));

        // Assert
        var bad = Assert.IsType<ArgumentException>(error);
        Assert.Contains($"'{value}'", bad.Message, StringComparison.Ordinal);
        Assert.Contains("unix:///path/to/docker.sock", bad.Message, StringComparison.Ordinal);
        Assert.Contains("/path/to/docker.sock", bad.Message, StringComparison.Ordinal);
        Assert.Contains("tcp://HOST:PORT", bad.Message, StringComparison.Ordinal);
    }

    // ---- Helpers ---------------------------------------------------------------------------

    /// <summary>This test's containers (its run label) in a listing.</summary>
    private List<(Uri Host, ContainerListResponse Container)> Ours(IReadOnlyList<(Uri Host, ContainerListResponse Container)> listed) =>
        [.. listed.Where(c => c.Container.Labels is { } labels && labels.TryGetValue("sparring.run", out var run) && run == _run)];

    /// <summary>Lists this test's containers until <paramref name="until"/> holds, <paramref name="command"/> ends or <see cref="Appears"/> passes.</summary>
    private async Task<List<(Uri Host, ContainerListResponse Container)>> WaitForRunAsync(
        DockerSandboxProvider provider, Func<List<(Uri Host, ContainerListResponse Container)>, bool> until, Task command)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var ours = Ours(await provider.ListAsync());
            if (until(ours) || command.IsCompleted || stopwatch.Elapsed > Appears)
            {
                return ours;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until something listens on the loopback <paramref name="port"/>.</summary>
    private static async Task WaitForPortAsync(int port)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (stopwatch.Elapsed < Appears)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Starts a long-running container from the tests' image labelled as a Sparring sandbox of <paramref name="owner"/> and <paramref name="run"/>.</summary>
    private async Task<string> StartLabelledAsync(string owner, string run)
    {
        using var client = DockerImages.Connect(DockerSandboxSettings.DefaultHost);
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = _settings.Image,
            Cmd = ["sleep", "600"],
            Labels = new Dictionary<string, string> { ["sparring.sandbox"] = "1", ["sparring.owner"] = owner, ["sparring.run"] = run },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    /// <summary>Field 22 of <c>/proc/PID/stat</c>: the process's start time in clock ticks since boot.</summary>
    private static long StartTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }
}
