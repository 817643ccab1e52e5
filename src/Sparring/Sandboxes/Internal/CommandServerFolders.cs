using System.Globalization;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// The host folders of this process's command servers (<see cref="CommandServer"/>): one root in the process's control
/// folder, on its own tmpfs where Sparring can mount one (so a sandbox's <c>/proc/self/mountinfo</c> names no host
/// folder for them), holding one folder per server and the execute-only copy of bash they all run (one copy, so its
/// pages are shared).
/// </summary>
internal static class CommandServerFolders
{
    private const long RootTmpfsBytes = 1L << 30;
    private static readonly Lazy<(string Root, bool Mounted)> Made = new(Make);
    private static long _number;

    /// <summary>The folder holding the execute-only bash (<c>bash</c>), bound read-only into every server's sandbox.</summary>
    public static string Programs => Path.Combine(Made.Value.Root, "bin");

    /// <summary>A new, empty folder for one server.</summary>
    public static string Create()
    {
        var folder = Path.Combine(Made.Value.Root, Interlocked.Increment(ref _number).ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    private static (string, bool) Make()
    {
        var root = Path.Combine(ControlDirectory.Path, "exec");
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var mounted = false;
        if (Tmpfs.Available && !Tmpfs.IsMounted(root))
        {
            Tmpfs.Mount(root, RootTmpfsBytes);
            mounted = true;
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                Tmpfs.Unmount(root);
                try
                {
                    Directory.Delete(ControlDirectory.Path, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            };
        }

        // Execute-only: a process that runs a program it cannot read is not dumpable, so a command (the same user, no
        // capabilities) cannot open the server's /proc files (its pipes, its memory) to forge its answers.
        var programs = Path.Combine(root, "bin");
        Directory.CreateDirectory(programs, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var shell = Path.Combine(programs, "bash");
        File.Copy("/usr/bin/bash", shell, overwrite: true);
        File.SetUnixFileMode(shell, UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return (root, mounted);
    }
}
