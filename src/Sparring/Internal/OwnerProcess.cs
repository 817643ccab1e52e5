using System.Globalization;

namespace Sparring.Internal;

/// <summary>
/// Names host resources (workspaces, workspace mounts, sandbox control folders, cgroups) after the process that owns
/// them, so a later process can tell which ones a killed process left behind. The owner is its pid and its start time
/// (clock ticks since boot): pids are reused, and in a container a restarted Sparring often gets the same small pid.
/// </summary>
internal static class OwnerProcess
{
    /// <summary>This process as <c>PID-START</c>.</summary>
    public static string Current { get; } = string.Create(
        CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{StartTime(Environment.ProcessId) ?? 0}");

    /// <summary>
    /// Reads an owner written by <see cref="Current"/> from <paramref name="parts"/> (the pid, then optionally the
    /// start time, as older names had only the pid). False when the first part is not a pid.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> parts, out int pid, out long? startTime)
    {
        startTime = null;
        if (parts.Count == 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out pid))
        {
            pid = 0;
            return false;
        }

        if (parts.Count > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            startTime = start;
        }

        return true;
    }

    /// <summary>
    /// True when the owner may still be running: this process, or a live process with that pid (and, when known,
    /// that start time). Only a false answer is certain enough to delete what the owner left.
    /// </summary>
    public static bool IsAlive(int pid, long? startTime)
    {
        if (pid != Environment.ProcessId && !Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}")))
        {
            return false;
        }

        // Our own pid with another start time is an earlier process that had our pid; when the start time cannot be
        // read, the owner counts as alive.
        return startTime is null || StartTime(pid) is not { } actual || actual == startTime;
    }

    /// <summary>Field 22 of <c>/proc/PID/stat</c>, or null when the process is gone.</summary>
    private static long? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces and parentheses: count from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}
