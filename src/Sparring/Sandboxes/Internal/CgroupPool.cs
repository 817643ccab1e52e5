using System.Collections.Concurrent;
using System.Globalization;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// Reuses cgroups between commands with the same limits. Making and removing a memory cgroup around
/// every command cost ~30 ms here (the kernel offlines a memory cgroup slowly), several times the
/// sandbox itself; a scope that is empty after its command is as good as new.
/// </summary>
/// <remarks>Thread-safe. Idle scopes are removed when the process exits; those of killed processes by the next one.</remarks>
internal static class CgroupPool
{
    private const int MaxIdlePerLimits = 32;
    private static readonly ConcurrentDictionary<(long?, int?), ConcurrentBag<CgroupScope>> Idle = new();
    private static int _created;

    static CgroupPool()
    {
        CgroupScope.RemoveAbandoned();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Drain();
    }

    /// <summary>A scope with these limits, or null when cgroups cannot be managed here.</summary>
    public static CgroupScope? Rent(long? memoryLimitBytes, int? maxProcesses)
    {
        var idle = Idle.GetOrAdd((memoryLimitBytes, maxProcesses), _ => []);
        if (!idle.TryTake(out var scope))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Interlocked.Increment(ref _created)}");
            scope = CgroupScope.TryCreate(name, memoryLimitBytes, maxProcesses);
        }

        scope?.ResetMemoryEvents();
        return scope;
    }

    /// <summary>Kills what is left in the scope and keeps it for the next command, or removes it.</summary>
    public static async ValueTask ReturnAsync(CgroupScope scope, long? memoryLimitBytes, int? maxProcesses)
    {
        scope.KillAll();
        var idle = Idle.GetOrAdd((memoryLimitBytes, maxProcesses), _ => []);
        if (scope.IsEmpty() && idle.Count < MaxIdlePerLimits)
        {
            idle.Add(scope);
            return;
        }

        await scope.DisposeAsync().ConfigureAwait(false);
    }

    private static void Drain()
    {
        foreach (var idle in Idle.Values)
        {
            while (idle.TryTake(out var scope))
            {
                scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
