namespace Sparring.Sandboxes;

/// <summary>
/// An isolated place to run commands over one workspace directory: read-only system, the workspace
/// (and a private <c>/tmp</c>) the only writable places, no network unless asked, limits on time,
/// output, memory and processes. Use it, then dispose it.
/// </summary>
/// <remarks>
/// A command that fails, hangs or floods its output is a value (<see cref="ExecResult"/>), never an
/// exception; exceptions mean the sandbox itself is broken. Instances are safe to use from several
/// threads, but commands over one workspace usually run one at a time.
/// </remarks>
public interface ISandbox : IAsyncDisposable
{
    /// <summary>Where the workspace appears inside the sandbox (commands start there).</summary>
    string SandboxWorkspacePath { get; }

    /// <summary>Runs one command. On timeout the whole process tree is killed.</summary>
    Task<ExecResult> ExecAsync(ExecRequest request, CancellationToken cancellationToken = default);

    /// <summary>Whether a workspace path (relative to it; <c>.</c> for the root) is a directory, something else, or nothing.</summary>
    /// <exception cref="ArgumentException">
    /// The path leaves the workspace: by <c>..</c>, by being absolute, or through a symbolic link (whether or not what
    /// the link points to exists, so that the answer tells nothing about the host). The same rules as the file methods.
    /// </exception>
    Task<SandboxPathKind> GetPathKindAsync(string relativePath, CancellationToken cancellationToken = default);

    /// <summary>Reads a file of the workspace (path relative to it).</summary>
    Task<byte[]> ReadFileAsync(string relativePath, CancellationToken cancellationToken = default);

    /// <summary>Writes a file of the workspace (path relative to it), creating directories as needed.</summary>
    Task WriteFileAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
}
