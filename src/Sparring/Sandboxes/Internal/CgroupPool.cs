using System.Collections.Concurrent;
using System.Globalization;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// Reuses cgroups between commands with the same limits. Making and removing a memory cgroup around
/// every command cost ~30 ms here (the kernel offlines a memory cgroup slowly), several times the
/// sandbox itself; a scope that is empty after its command is as good as new.
/// </summary>
/// <remarks>Thread-safe. Idle scopes are removed when the process exits; those of killed processes by the next provider (<see cref="CgroupScope.RemoveAbandoned"/>).</remarks>
internal static class CgroupPool
{
    private const int MaxIdlePerLimits = 32;

    /// <summary>How long a scope still charged with shared memory after its command gets to lose the charge.</summary>
    private static readonly TimeSpan SharedMemoryGrace = TimeSpan.FromMilliseconds(100);

    private static readonly ConcurrentDictionary<(long?, int?), ConcurrentBag<CgroupScope>> Idle = new();
    private static readonly ConcurrentDictionary<Task, bool> Settling = new();
    private static int _created;

    static CgroupPool()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Drain();
    }

    /// <summary>A scope with these limits, or null when cgroups cannot be managed here.</summary>
    public static CgroupScope? Rent(long? memoryLimitBytes, int? maxProcesses)
    {
        var idle = Idle.GetOrAdd((memoryLimitBytes, maxProcesses), _ => []);
        if (!idle.TryTake(out var scope))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{OwnerProcess.Current}-{Interlocked.Increment(ref _created)}");
            scope = CgroupScope.TryCreate(name, memoryLimitBytes, maxProcesses);
        }

        scope?.ResetMemoryEvents();
        return scope;
    }

    /// <summary>
    /// Kills what is left in the scope and keeps it for the next command, or removes it. A scope charged with shared
    /// memory is not kept: the command wrote into a tmpfs that outlives it (a workspace's), whose pages stay charged to
    /// the scope until the tmpfs is gone, so the next command would start with part of its memory used. The sandbox's
    /// own <c>/tmp</c> is freed a moment after the sandbox ends, so such a scope is looked at again after a short
    /// grace, off the command's path, and kept only if the charge went; otherwise it is removed.
    /// </summary>
    public static async ValueTask ReturnAsync(CgroupScope scope, long? memoryLimitBytes, int? maxProcesses)
    {
        scope.KillAll();
        var idle = Idle.GetOrAdd((memoryLimitBytes, maxProcesses), _ => []);
        if (!scope.IsEmpty() || idle.Count >= MaxIdlePerLimits)
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            return;
        }

        if (scope.SharedMemoryBytes() == 0)
        {
            idle.Add(scope);
            return;
        }

        var settling = SettleAsync(scope, idle);
        Settling[settling] = true;
        _ = settling.ContinueWith(t => Settling.TryRemove(t, out _), TaskScheduler.Default);
    }

    private static async Task SettleAsync(CgroupScope scope, ConcurrentBag<CgroupScope> idle)
    {
        await Task.Delay(SharedMemoryGrace).ConfigureAwait(false);
        if (scope.SharedMemoryBytes() == 0 && scope.IsEmpty() && idle.Count < MaxIdlePerLimits)
        {
            idle.Add(scope);
            return;
        }

        await scope.DisposeAsync().ConfigureAwait(false);
    }

    private static void Drain()
    {
        Task.WaitAll([.. Settling.Keys], TimeSpan.FromSeconds(5));
        foreach (var idle in Idle.Values)
        {
            while (idle.TryTake(out var scope))
            {
                scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
