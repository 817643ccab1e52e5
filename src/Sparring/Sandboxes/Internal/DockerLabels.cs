using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// The labels on everything Sparring makes in a Docker engine: that Sparring made it, which process on which machine
/// owns it (so a later process can tell what a killed one left behind) and which run it belongs to.
/// </summary>
internal static class DockerLabels
{
    /// <summary>On every container Sparring starts.</summary>
    public const string Sandbox = "sparring.sandbox";

    /// <summary><c>HOSTNAME/PID-START</c> of the owning process.</summary>
    public const string Owner = "sparring.owner";

    /// <summary>The run, when the caller names one.</summary>
    public const string Run = "sparring.run";

    /// <summary>On every image Sparring builds: what the image is (<c>base</c>, ...).</summary>
    public const string Image = "sparring.image";

    /// <summary>This process as an owner label.</summary>
    public static string CurrentOwner { get; } = System.Net.Dns.GetHostName() + "/" + OwnerProcess.Current;

    /// <summary>
    /// True when <paramref name="owner"/> is a process of this machine that is gone: only then may what it left be
    /// removed (an owner on another machine may be alive; an unreadable owner is left alone).
    /// </summary>
    public static bool IsAbandoned(string? owner)
    {
        if (owner is null || owner.Split('/') is not [var machine, var process] || machine != System.Net.Dns.GetHostName())
        {
            return false;
        }

        return OwnerProcess.TryParse(process.Split('-'), out var pid, out var start) && !OwnerProcess.IsAlive(pid, start);
    }
}
