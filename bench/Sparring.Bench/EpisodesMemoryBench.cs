using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.Llm;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Bench;

/// <summary>
/// The memory of N agent episodes held at once: each in its own workspace of samples/py-inventory with its own
/// sandbox, journalling its trajectory, a few steps of <c>bash true</c> and a file view, against one scripted model
/// server whose replies take a while (so every episode waits on the model together, as against a real one). The
/// process's working set and managed heap are sampled while they run, against the same process just before. Episodes
/// keep one sandbox each for their commands, as agents do (<see cref="TestRunner.AgentSandboxLimits"/>), so the
/// proportional memory (PSS) of this process's descendants (the kept bwrap sandboxes and their command servers) is
/// sampled too, every second.
/// </summary>
/// <remarks>
/// The scripted server runs in this process (its connections count too: an upper bound on the harness's share).
/// Commands go through a few shared slots (<see cref="GatedSandbox"/>), so the episodes still hold their state
/// concurrently while two cores run the bwrap processes a few at a time.
/// </remarks>
internal sealed class EpisodesMemoryBench
{
    private const int Turns = 3;
    private int _inFlight;
    private int _maxInFlight;
    private int _failed;
    private (long Pss, int Count, int InFlight) _descendantsPeak;

    /// <param name="episodes">Episodes at once.</param>
    /// <param name="latency">The scripted model's delay per reply.</param>
    /// <param name="dockerImage">Run the commands in Docker containers from this image (16 at once) instead of bubblewrap.</param>
    public static Task<int> RunAsync(int episodes, TimeSpan latency, string? dockerImage = null) => new EpisodesMemoryBench().MeasureAsync(episodes, latency, dockerImage);

    private async Task<int> MeasureAsync(int episodes, TimeSpan latency, string? dockerImage)
    {
        using var scratch = new TempDirectory("sparring-bench-memory-");
        var tree = Path.Combine(scratch.Path, "py-inventory");
        await GitAsync("clone", "--quiet", "--branch", "main", Path.GetFullPath("samples/py-inventory.bundle"), tree);

        // A prepared tree has no .git: the workspaces copy only the sources, as the solver's do.
        Directory.Delete(Path.Combine(tree, ".git"), recursive: true);
        await using var server = await ScriptedModelServer.StartAsync();
        server.KeepRequests = false;

        // One client for every episode, as the solver and the service share theirs.
        using var client = ModelClients.Create(new ModelClientOptions { Endpoint = server.Endpoint, Model = server.Model });
        using var docker = dockerImage is null ? null : new DockerSandboxProvider(new DockerSandboxSettings { Image = dockerImage, MaxContainersPerHost = 16 });
        ISandboxProvider provider = docker is null ? new BubblewrapSandboxProvider() : docker;
        var slots = docker is null ? Environment.ProcessorCount * 2 : 16;
        using var gate = new SemaphoreSlim(slots);

        // A first episode alone, so the code it runs is loaded and compiled before the baseline.
        Script(server, 1, TimeSpan.Zero);
        await EpisodeAsync(client, provider, gate, tree, scratch.Path, "warm-up");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baselineWorkingSet = process.WorkingSet64;
        var baselineHeap = GC.GetTotalMemory(forceFullCollection: false);
        _maxInFlight = 0;

        Script(server, episodes, latency);
        using var stop = new CancellationTokenSource();
        var sampler = SampleAsync(process, stop.Token);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, episodes).Select(i => Task.Run(() => EpisodeAsync(client, provider, gate, tree, scratch.Path, string.Create(CultureInfo.InvariantCulture, $"e{i}")))));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        var peak = await sampler;
        var sandboxesPeak = _descendantsPeak;

        var mb = 1024.0 * 1024.0;
        var workingSet = (peak.WorkingSet - baselineWorkingSet) / mb;
        var heap = (peak.Heap - baselineHeap) / mb;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{episodes} episodes of {Turns} turns (bash true, file view, bash true) on {provider.Name}, model latency {latency.TotalMilliseconds:0} ms, {slots} command slots: {elapsed.TotalSeconds:0.0} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  in flight: {_maxInFlight} at most, {peak.InFlight} at the working-set peak; {_failed} failed"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  baseline: working set {baselineWorkingSet / mb:0} MB, managed heap {baselineHeap / mb:0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak working set: {peak.WorkingSet / mb:0} MB, +{workingSet:0} MB over the baseline, {workingSet * 1024 / Math.Max(1, _maxInFlight):0} KB per episode held at once"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak managed heap: {peak.Heap / mb:0} MB, +{heap:0} MB over the baseline (garbage not yet collected included), {peak.HeapInFlight} in flight then"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sandbox processes (descendants of this process): {sandboxesPeak.Pss / mb:0} MB PSS at their peak, {sandboxesPeak.Count} processes then, {sandboxesPeak.Pss / 1024.0 / Math.Max(1, sandboxesPeak.InFlight):0} KB per episode in flight ({sandboxesPeak.InFlight})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  kernel peak (VmHWM, whole run): {process.PeakWorkingSet64 / mb:0} MB; GC: {GCSettings()}"));
        return _failed == 0 ? 0 : 1;
    }

    private static string GCSettings() => System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";

    /// <summary>One conversation per episode (replies routed by tool-call id), each reply after <paramref name="latency"/>.</summary>
    private static void Script(ScriptedModelServer server, int episodes, TimeSpan latency)
    {
        for (var i = 0; i < episodes; i++)
        {
            server.EnqueueConversation(
                ScriptedReply.ToolCall("bash", """{"command":"true"}""").After(latency),
                ScriptedReply.ToolCall("str_replace_editor", """{"command":"view","path":"inventory/models.py"}""").After(latency),
                ScriptedReply.ToolCall("bash", """{"command":"true"}""").After(latency));
        }
    }

    private async Task EpisodeAsync(IChatClient client, ISandboxProvider provider, SemaphoreSlim gate, string tree, string scratch, string id)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var seen = Volatile.Read(ref _maxInFlight); now > seen && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen; seen = Volatile.Read(ref _maxInFlight))
        {
        }

        try
        {
            await using var workspace = await Workspace.CreateAsync(tree, Path.Combine(scratch, "workspaces"));
            await using var sandbox = new GatedSandbox(await provider.CreateAsync(workspace.TreePath, TestRunner.AgentSandboxLimits), gate);
            var journal = new TrajectoryJournal(Path.Combine(scratch, "trajectories", id, "trajectory.json"));
            var loop = new AgentLoop(client, ToolSets.Solver(), new AgentOptions { MaxTurns = Turns }) { OnStep = journal.AppendAsync };
            var result = await loop.RunAsync("You fix bugs.", "Look around.", new ToolContext(sandbox), loop.NewTrajectory(id, "solver"));
            if (result.Exit != AgentExit.TurnLimit || result.Trajectory.Messages.Count(m => m.ToolName is not null && m.IsError != true) != Turns)
            {
                Interlocked.Increment(ref _failed);
                Console.Error.WriteLine($"{id}: {result.Exit} {result.Trajectory.ExitDetail}");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Samples the working set and managed heap every 50 ms until cancelled; returns the peaks.</summary>
    private async Task<(long WorkingSet, int InFlight, long Heap, int HeapInFlight)> SampleAsync(Process process, CancellationToken cancellationToken)
    {
        (long WorkingSet, int InFlight, long Heap, int HeapInFlight) peak = default;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var ticks = 0;
        do
        {
            if (++ticks % 20 == 0 && DescendantsPss(process.Id) is var (pss, count) && pss > _descendantsPeak.Pss)
            {
                _descendantsPeak = (pss, count, Volatile.Read(ref _inFlight));
            }

            process.Refresh();
            var inFlight = Volatile.Read(ref _inFlight);
            if (process.WorkingSet64 > peak.WorkingSet)
            {
                (peak.WorkingSet, peak.InFlight) = (process.WorkingSet64, inFlight);
            }

            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (heap > peak.Heap)
            {
                (peak.Heap, peak.HeapInFlight) = (heap, inFlight);
            }
        }
        while (await NextAsync(timer, cancellationToken));

        return peak;
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task GitAsync(params string[] arguments)
    {
        var psi = new ProcessStartInfo("git");
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var git = Process.Start(psi)!;
        await git.WaitForExitAsync();
        if (git.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({git.ExitCode})");
        }
    }

    /// <summary>The summed PSS (bytes) of every descendant of <paramref name="root"/>, and how many there are.</summary>
    private static (long Pss, int Count) DescendantsPss(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
                {
                }
            }
        }

        long pss = 0;
        var count = 0;
        foreach (var pid in parents.Keys)
        {
            var ancestor = parents.GetValueOrDefault(pid);
            for (var hops = 0; ancestor > 1 && ancestor != root && hops < 64; hops++)
            {
                ancestor = parents.GetValueOrDefault(ancestor);
            }

            if (ancestor != root)
            {
                continue;
            }

            try
            {
                var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
                if (line is not null)
                {
                    pss += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                    count++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return (pss, count);
    }
}
