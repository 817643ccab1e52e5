using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>Resolves workspace-relative paths, refusing any that escape the workspace (by .. or by a symlink).</summary>
internal static class WorkspaceFiles
{
    public static string Resolve(string workspace, string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"'{relativePath}' must be relative to the workspace.", nameof(relativePath));
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace));
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!TreePaths.IsInside(root, full))
        {
            throw new ArgumentException($"'{relativePath}' points outside the workspace.", nameof(relativePath));
        }

        // A symlink inside the workspace may point anywhere: follow every link on the way as the kernel will.
        if (TreePaths.LinkProblem(root, Path.GetRelativePath(root, full)) is not null)
        {
            throw new ArgumentException($"'{relativePath}' leads outside the workspace through a symbolic link.", nameof(relativePath));
        }

        return full;
    }

    /// <summary>
    /// Opens a regular file without blocking. A command can leave a FIFO where the host expects a file
    /// (a test report, a patch); a plain open(2) of it would wait forever for the other end.
    /// </summary>
    public static FileStream OpenRegular(string path, bool write)
    {
        var flags = NativeMethods.OpenNonBlocking | NativeMethods.OpenCloseOnExec
            | (write ? NativeMethods.OpenWriteOnly | NativeMethods.OpenCreate | NativeMethods.OpenTruncate : NativeMethods.OpenReadOnly);
        var fd = NativeMethods.Open(path, flags, Convert.ToInt32("666", 8));
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var message = $"Cannot open '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.";
            throw errno == NativeMethods.ErrorNoEntry ? new FileNotFoundException(message, path) : new IOException(message, errno);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        FileStream stream;
        try
        {
            stream = new FileStream(handle, write ? FileAccess.Write : FileAccess.Read);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new IOException($"'{path}' is not a regular file.");
        }

        return stream;
    }

    /// <summary><see cref="ISandbox.GetPathKindAsync"/> for a workspace that is a host folder bound inside the sandbox.</summary>
    public static Task<SandboxPathKind> GetPathKindAsync(string workspace, string relativePath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = Resolve(workspace, relativePath);

        // Resolve has checked every link on the way, so following them here stays inside the workspace. File.Exists
        // alone would count a dangling link as a file, where opening it finds nothing.
        var kind = Directory.Exists(path) ? SandboxPathKind.Directory
            : File.Exists(path) && (File.ResolveLinkTarget(path, returnFinalTarget: true)?.Exists ?? true) ? SandboxPathKind.File
            : SandboxPathKind.Missing;
        return Task.FromResult(kind);
    }

    /// <summary><see cref="ISandbox.ReadFileAsync"/> for a workspace that is a host folder bound inside the sandbox.</summary>
    public static async Task<byte[]> ReadAsync(string workspace, string relativePath, CancellationToken cancellationToken)
    {
        var stream = OpenRegular(Resolve(workspace, relativePath), write: false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary><see cref="ISandbox.WriteFileAsync"/> for a workspace that is a host folder bound inside the sandbox.</summary>
    public static async Task WriteAsync(string workspace, string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = Resolve(workspace, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = OpenRegular(path, write: true);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        }
    }
}
