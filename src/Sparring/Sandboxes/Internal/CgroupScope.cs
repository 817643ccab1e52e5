using System.Globalization;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// A cgroup (v1 memory + pids controllers, or v2 unified) holding every process of one command:
/// it enforces the memory and process-count limits and lets a timeout kill the whole tree, even
/// processes that left the process group. Made under our own cgroup, so the caller's limits still apply.
/// </summary>
internal sealed class CgroupScope : IAsyncDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly List<string> _directories;

    private CgroupScope(List<string> directories) => _directories = directories;

    /// <summary>The cgroup directories a process must join (one per v1 controller, one for v2).</summary>
    public IReadOnlyList<string> Directories => _directories;

    /// <summary>Null when cgroups cannot be managed here (not root, read-only cgroupfs): limits are then not enforced.</summary>
    public static CgroupScope? TryCreate(string name, long? memoryLimitBytes, int? maxProcesses)
    {
        try
        {
            return File.Exists(Path.Combine(Root, "cgroup.controllers"))
                ? CreateV2(name, memoryLimitBytes, maxProcesses)
                : CreateV1(name, memoryLimitBytes, maxProcesses);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Why <see cref="TryCreate"/> would fail here, or null when cgroups work.</summary>
    public static string? Probe()
    {
        var scope = TryCreate("probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), 64L << 20, 64);
        scope?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return scope is null
            ? "cgroups are not writable here (run as root with /sys/fs/cgroup mounted read-write); memory and process limits will not be enforced"
            : null;
    }

    private static CgroupScope? CreateV1(string name, long? memoryLimitBytes, int? maxProcesses)
    {
        var dirs = new List<string>();
        var scope = new CgroupScope(dirs);
        try
        {
            var memory = MakeV1("memory", name);
            dirs.Add(memory);
            if (memoryLimitBytes is { } bytes)
            {
                File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), bytes.ToString(CultureInfo.InvariantCulture));

                // With swap, limit_in_bytes caps only RAM and a hog swaps instead of stopping; cap RAM+swap too.
                var withSwap = Path.Combine(memory, "memory.memsw.limit_in_bytes");
                if (File.Exists(withSwap))
                {
                    File.WriteAllText(withSwap, bytes.ToString(CultureInfo.InvariantCulture));
                }
            }

            var pids = MakeV1("pids", name);
            dirs.Add(pids);
            if (maxProcesses is { } max)
            {
                File.WriteAllText(Path.Combine(pids, "pids.max"), max.ToString(CultureInfo.InvariantCulture));
            }

            return scope;
        }
        catch
        {
            scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private static string MakeV1(string controller, string name)
    {
        var own = OwnCgroupPath(controller);
        var dir = Path.Combine(Root, controller + own, "sparring", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static CgroupScope? CreateV2(string name, long? memoryLimitBytes, int? maxProcesses)
    {
        var own = OwnCgroupPath(null);
        var parent = Path.Combine(Root + own, "sparring");
        Directory.CreateDirectory(parent);
        File.WriteAllText(Path.Combine(Root + own, "cgroup.subtree_control"), "+memory +pids");
        File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+memory +pids");
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        var scope = new CgroupScope([dir]);
        if (memoryLimitBytes is { } bytes)
        {
            File.WriteAllText(Path.Combine(dir, "memory.max"), bytes.ToString(CultureInfo.InvariantCulture));
            var swap = Path.Combine(dir, "memory.swap.max");
            if (File.Exists(swap))
            {
                File.WriteAllText(swap, "0");
            }
        }

        if (maxProcesses is { } max)
        {
            File.WriteAllText(Path.Combine(dir, "pids.max"), max.ToString(CultureInfo.InvariantCulture));
        }

        return scope;
    }

    /// <summary>Our own cgroup path for a v1 controller (or the v2 path when <paramref name="controller"/> is null).</summary>
    private static string OwnCgroupPath(string? controller)
    {
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var matches = controller is null
                ? parts[0] == "0" && parts[1].Length == 0
                : parts[1].Split(',').Contains(controller);
            if (matches)
            {
                return parts[2] == "/" ? "" : parts[2];
            }
        }

        return "";
    }

    private static readonly string[] V1Controllers = ["memory", "pids"];
    private long _memoryEventsBaseline;

    /// <summary>Starts counting memory-limit events from now (a pooled scope serves many commands).</summary>
    public void ResetMemoryEvents() => _memoryEventsBaseline = MemoryEvents();

    /// <summary>True when the memory limit was hit since the last <see cref="ResetMemoryEvents"/>.</summary>
    public bool MemoryLimitHit() => MemoryEvents() > _memoryEventsBaseline;

    /// <summary>Bytes of shared memory (tmpfs, shm) charged to the scope: <c>shmem</c> of <c>memory.stat</c>, v1 or v2.</summary>
    public long SharedMemoryBytes() => _directories.Sum(d => ReadCounter(Path.Combine(d, "memory.stat"), "shmem"));

    /// <summary>True when no process is left in the scope.</summary>
    public bool IsEmpty() => !_directories.SelectMany(ReadPids).Any();

    private long MemoryEvents()
    {
        foreach (var dir in _directories)
        {
            var v1 = Path.Combine(dir, "memory.failcnt");
            if (File.Exists(v1))
            {
                // failcnt stays 0 when the RAM+swap limit is the one that fails; the OOM kill count does not.
                return ReadLong(v1)
                    + ReadCounter(Path.Combine(dir, "memory.memsw.failcnt"), null)
                    + ReadCounter(Path.Combine(dir, "memory.oom_control"), "oom_kill");
            }

            var v2 = Path.Combine(dir, "memory.events");
            if (File.Exists(v2))
            {
                return ReadCounter(v2, "max") + ReadCounter(v2, "oom_kill");
            }
        }

        return 0;
    }

    /// <summary>
    /// Removes scopes left by processes that died without cleaning up (the name starts with the creator's pid and,
    /// since names carry it, start time). Only empty cgroups can be removed, so a live one is never touched.
    /// Returns how many were removed.
    /// </summary>
    public static int RemoveAbandoned()
    {
        var removed = 0;
        try
        {
            var parents = File.Exists(Path.Combine(Root, "cgroup.controllers"))
                ? [Path.Combine(Root + OwnCgroupPath(null), "sparring")]
                : V1Controllers.Select(c => Path.Combine(Root, c + OwnCgroupPath(c), "sparring")).ToArray();
            foreach (var dir in parents.Where(Directory.Exists).SelectMany(Directory.EnumerateDirectories))
            {
                // PID-START-N now, PID-N before: a third part means the second is a start time.
                var parts = Path.GetFileName(dir).Split('-');
                if (OwnerProcess.TryParse(parts.Length >= 3 ? parts : parts[..1], out var pid, out var start)
                    && !OwnerProcess.IsAlive(pid, start))
                {
                    try
                    {
                        Directory.Delete(dir);
                        removed++;
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return removed;
    }

    /// <summary>SIGKILLs every process in the scope until it is empty (a fork bomb keeps forking while we kill).</summary>
    public void KillAll()
    {
        for (var round = 0; round < 50; round++)
        {
            var pids = _directories.SelectMany(ReadPids).Distinct().ToList();
            if (pids.Count == 0)
            {
                return;
            }

            foreach (var pid in pids)
            {
                _ = NativeMethods.Kill(pid, NativeMethods.SigKill);
            }

            _ = Thread.Yield();
        }
    }

    private static IEnumerable<int> ReadPids(string dir)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(dir, "cgroup.procs"));
        }
        catch (IOException)
        {
            return [];
        }

        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture));
    }

    /// <summary>A "key value" line of a cgroup file (or the whole file when <paramref name="key"/> is null); 0 when absent.</summary>
    private static long ReadCounter(string path, string? key)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        if (key is null)
        {
            return ReadLong(path);
        }

        var line = File.ReadAllLines(path).FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal));
        return line is not null && long.TryParse(line.AsSpan(key.Length + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static long ReadLong(string path) =>
        long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public async ValueTask DisposeAsync()
    {
        KillAll();
        foreach (var dir in _directories)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                try
                {
                    Directory.Delete(dir);
                    break;
                }
                catch (IOException) when (attempt < 19)
                {
                    // The kernel releases an emptied cgroup asynchronously.
                    await Task.Delay(5).ConfigureAwait(false);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
