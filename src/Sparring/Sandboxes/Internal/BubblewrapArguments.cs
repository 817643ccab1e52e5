namespace Sparring.Sandboxes.Internal;

/// <summary>The bwrap command line for one command: what is visible, writable, and the environment.</summary>
internal static class BubblewrapArguments
{
    /// <summary>The sanitized environment every command starts from.</summary>
    public static IReadOnlyDictionary<string, string> BaseEnvironment { get; } = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = "/tmp/home",
        ["TMPDIR"] = "/tmp",
        ["LANG"] = "C.UTF-8",
        ["LC_ALL"] = "C.UTF-8",
        ["CI"] = "true",
        ["USER"] = "root",
    };

    public static List<string> Build(string workspace, string workingDirectory, SandboxOptions options, ExecRequest request)
    {
        var args = new List<string>
        {
            "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/sbin", "/sbin",
            "--ro-bind", "/etc", "/etc",
            "--proc", "/proc",
            "--dev", "/dev",
            "--tmpfs", "/tmp",
            "--dir", "/tmp/home",
            "--hostname", "sparring",
        };
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

        args.AddRange(["--remount-ro", "/", "--chdir", workingDirectory, "--clearenv"]);
        var environment = new Dictionary<string, string>(BaseEnvironment, StringComparer.Ordinal);
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in request.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            args.AddRange(["--setenv", key, value]);
        }

        // A launcher runs first inside: it reports on fd 3 that the sandbox is set up, closes fd 3 so the
        // command cannot write it, then execs the command (a missing program is exit 127, as in a shell).
        args.AddRange(["--", "/bin/sh", "-c", StartedLauncher, "sparring"]);
        args.AddRange(request.Command);
        return args;
    }

    /// <summary>What the in-sandbox launcher writes to fd 3 once bwrap has set everything up.</summary>
    public const string StartedToken = "started";

    private const string StartedLauncher = "printf " + StartedToken + " >&3; exec 3>&-; exec \"$@\"";

    private static bool IsUnder(string path, string root) => path.StartsWith(root + "/", StringComparison.Ordinal);

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);
}
