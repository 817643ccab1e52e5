namespace Sparring.Sandboxes;

/// <summary>What a workspace path names, as <see cref="ISandbox.GetPathKindAsync"/> reports it.</summary>
public enum SandboxPathKind
{
    /// <summary>Nothing is there (or a symbolic link inside the workspace leads nowhere).</summary>
    Missing,

    /// <summary>
    /// Something that is not a directory: usually a regular file, but a command may leave a FIFO, a socket or a
    /// device node there, which <see cref="ISandbox.ReadFileAsync"/> refuses.
    /// </summary>
    File,

    /// <summary>A directory (the workspace root included).</summary>
    Directory,
}
