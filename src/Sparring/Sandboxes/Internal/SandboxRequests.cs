namespace Sparring.Sandboxes.Internal;

/// <summary>What every backend does the same with a request: check it, place it, give it its environment.</summary>
internal static class SandboxRequests
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

    /// <summary>
    /// What every backend checks when a sandbox is opened: the options are valid and the workspace exists. Returns the
    /// workspace's full path.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The workspace does not exist.</exception>
    public static string ExistingWorkspace(string workspacePath, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var full = Path.GetFullPath(workspacePath);
        return Directory.Exists(full) ? full : throw new DirectoryNotFoundException($"The workspace '{full}' does not exist.");
    }

    /// <summary>
    /// Checks <paramref name="request"/> (bad requests fail before any process starts) and returns the directory it
    /// starts in, inside the sandbox.
    /// </summary>
    public static string WorkingDirectory(string workspace, string sandboxWorkspacePath, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.Count == 0)
        {
            throw new ArgumentException("The command is empty.", nameof(request));
        }

        if (request.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentException($"{nameof(ExecRequest.Timeout)} must be positive and below 24 days, got {timeout}.", nameof(request));
        }

        if (request.OutputLimitBytes is < 0)
        {
            throw new ArgumentException($"{nameof(ExecRequest.OutputLimitBytes)} must not be negative, got {request.OutputLimitBytes}.", nameof(request));
        }

        var relative = Path.GetRelativePath(workspace, WorkspaceFiles.Resolve(workspace, request.WorkingDirectory ?? "."));
        return relative == "." ? sandboxWorkspacePath : sandboxWorkspacePath + "/" + relative;
    }

    /// <summary>The command's variables: the base ones, then the sandbox's, then the request's.</summary>
    public static Dictionary<string, string> Environment(SandboxOptions options, ExecRequest request)
    {
        var environment = new Dictionary<string, string>(BaseEnvironment, StringComparer.Ordinal);
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in request.Environment)
        {
            environment[key] = value;
        }

        return environment;
    }
}
