using System.Globalization;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// This process's folder for the host-side files of running commands (the start report, bwrap's options):
/// <c>$TMPDIR/sparring-sandbox-PID-START/</c>. One folder, so a process killed mid-command leaves one thing behind,
/// which the next process's provider removes (<see cref="RemoveAbandoned"/>).
/// </summary>
/// <remarks>Thread-safe. Removed when the process exits normally.</remarks>
internal static class ControlDirectory
{
    private const string Prefix = "sparring-sandbox-";
    private static readonly Lazy<string> Created = new(Create);

    /// <summary>The folder, made (owner-only) on first use.</summary>
    public static string Path => Created.Value;

    /// <summary>
    /// Removes the control folders of dead owners from the temp folder, and the loose marker files
    /// (<c>sparring-sandbox-PID-N-GUID.started</c>) that versions before the folder left there. Returns how many.
    /// </summary>
    public static int RemoveAbandoned()
    {
        var removed = 0;
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(System.IO.Path.GetTempPath(), Prefix + "*"))
            {
                var name = System.IO.Path.GetFileName(entry)[Prefix.Length..];
                var isLooseMarker = name.EndsWith(".started", StringComparison.Ordinal);

                // A folder is exactly PID-START (other temp folders share the prefix: test workspaces, say). A loose
                // marker is PID-N-GUID.started; its N is a command counter, not a start time: judge it by the pid alone.
                var parts = name.Split('-');
                var owner = isLooseMarker ? (parts.Length == 3 ? parts[..1] : []) : (parts.Length == 2 ? parts : []);
                if (!OwnerProcess.TryParse(owner, out var pid, out var start)
                    || (!isLooseMarker && start is null)
                    || OwnerProcess.IsAlive(pid, start))
                {
                    continue;
                }

                try
                {
                    if (Directory.Exists(entry))
                    {
                        Directory.Delete(entry, recursive: true);
                    }
                    else
                    {
                        File.Delete(entry);
                    }

                    removed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another process is cleaning the same folder, or it is not ours to delete.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return removed;
    }

    /// <summary>A file name in the folder for one command's file, unique in this process (the folder is made again if a temp cleaner took it).</summary>
    public static string FileFor(long command, string extension)
    {
        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"{command}.{extension}"));
    }

    private static string Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Prefix + OwnerProcess.Current);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        };
        return path;
    }
}
