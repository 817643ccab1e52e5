using System.Globalization;
using System.Text;

namespace Sparring.Sandboxes.Internal;

/// <summary>The bwrap command line for one command: what is visible, writable, and the environment.</summary>
internal static class BubblewrapArguments
{
    /// <summary>
    /// Host interfaces under <c>/proc</c> that the sandbox's own procfs exposes writable to a global-root process,
    /// found by opening every file there for writing from inside (<c>SandboxConformanceTests</c> repeats that scan).
    /// Capabilities do not guard them, and a user namespace does not either: bwrap started by root maps uid 0 to the
    /// host's root, and sysctl and sysrq permission checks look only at the owner bits for global root. So each is
    /// covered by a read-only bind (of the host's copy: sysctl values follow the reader's namespaces, not the mount).
    /// A covered procfs also keeps a process from mounting a fresh, uncovered one (the kernel refuses a new procfs
    /// while the existing one is not fully visible). Entries this kernel lacks are skipped.
    /// </summary>
    public static IReadOnlyList<string> CoveredProcEntries { get; } =
        ["sys", "sysrq-trigger", "irq", "bus", "pressure", "acpi", "fs", "driver", "tty", "scsi"];

    /// <summary>
    /// The options for a sandbox whose command starts in <paramref name="workingDirectory"/> with exactly
    /// <paramref name="environment"/>; with <paramref name="messageQueues"/>, POSIX message queues are visible at
    /// <c>/dev/mqueue</c> (so a kept sandbox's server can find and remove those a command left).
    /// </summary>
    public static List<string> Build(string workspace, string workingDirectory, SandboxOptions options, IReadOnlyDictionary<string, string> environment, bool messageQueues = false)
    {
        var args = new List<string>
        {
            // A user namespace: the mounts below are locked (a process inside cannot take them off), and no
            // further user namespace can be made inside to regain capabilities over them.
            "--unshare-all", "--unshare-user", "--disable-userns", "--uid", "0", "--gid", "0",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/sbin", "/sbin",
            "--ro-bind", "/etc", "/etc",
            "--proc", "/proc",
        };
        foreach (var entry in CoveredProcEntries)
        {
            args.AddRange(["--ro-bind-try", "/proc/" + entry, "/proc/" + entry]);
        }

        // /dev is a tmpfs bwrap fills with device nodes; it is made read-only at the end, with a sized /dev/shm
        // (POSIX shared memory) the one writable place in it.
        args.AddRange(["--dev", "/dev"]);
        if (messageQueues)
        {
            args.AddRange(["--mqueue", "/dev/mqueue"]);
        }

        AddTmpfs(args, "/dev/shm", options.TmpSizeBytes);
        AddTmpfs(args, "/tmp", options.TmpSizeBytes);
        args.AddRange(["--dir", "/tmp/home", "--hostname", "sparring"]);
        if (options.Network)
        {
            args.Add("--share-net");
        }

        var inside = options.WorkspaceMountPath.TrimEnd('/');
        var shadows = options.Mounts.Where(m => IsUnder(m.SandboxPath, inside)).ToList();
        foreach (var mount in options.Mounts.Except(shadows).Where(m => Exists(m.HostPath)))
        {
            args.AddRange([mount.ReadOnly ? "--ro-bind" : "--bind", mount.HostPath, mount.SandboxPath]);
        }

        args.AddRange(["--bind", workspace, inside]);

        // Mounts inside the workspace (prepared dependency folders shared by every run) go over the writable
        // workspace, read-only, so no command can change what the next one sees.
        foreach (var mount in shadows.Where(m => Exists(m.HostPath)))
        {
            args.AddRange([mount.ReadOnly ? "--ro-bind" : "--bind", mount.HostPath, mount.SandboxPath]);
        }

        args.AddRange(["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", workingDirectory, "--clearenv"]);
        foreach (var (key, value) in environment)
        {
            args.AddRange(["--setenv", key, value]);
        }

        return args;
    }

    /// <summary>
    /// What follows the options on bwrap's own command line (the only part of it a process inside can read, as
    /// <c>/proc/1/cmdline</c>): a launcher that reports on fd 3 that the sandbox is set up, closes fd 3 so the
    /// command cannot write it, then execs the command (a missing program is exit 127, as in a shell).
    /// </summary>
    public static List<string> Command(IReadOnlyList<string> command) => ["--", "/bin/sh", "-c", StartedLauncher, "sparring", .. command];

    /// <summary>Options as <c>--args FD</c> reads them: each followed by a NUL.</summary>
    public static byte[] Serialize(IEnumerable<string> arguments)
    {
        var buffer = new List<byte>();
        foreach (var argument in arguments)
        {
            if (argument.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"A sandbox argument contains a NUL character: '{argument.Replace("\0", "\\0", StringComparison.Ordinal)}'.", nameof(arguments));
            }

            buffer.AddRange(Encoding.UTF8.GetBytes(argument));
            buffer.Add(0);
        }

        return [.. buffer];
    }

    private static void AddTmpfs(List<string> args, string path, long? sizeBytes)
    {
        if (sizeBytes is { } size)
        {
            args.AddRange(["--size", size.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["--tmpfs", path]);
    }

    /// <summary>What the in-sandbox launcher writes to fd 3 once bwrap has set everything up.</summary>
    public const string StartedToken = "started";

    private const string StartedLauncher = "printf " + StartedToken + " >&3; exec 3>&-; exec \"$@\"";

    private static bool IsUnder(string path, string root) => path.StartsWith(root + "/", StringComparison.Ordinal);

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);
}
