using System.Text;
using Sparring.Sandboxes;

namespace Sparring.Agents.Tools.Internal;

/// <summary>Reads workspace files as text for the editors, with the checks every editing tool makes.</summary>
internal static class WorkspaceText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    /// <exception cref="ToolArgumentException">The path is a directory.</exception>
    public static async Task<byte[]?> ReadBytesAsync(ToolContext context, string relativePath, CancellationToken cancellationToken)
    {
        if (await IsDirectoryAsync(context, relativePath, cancellationToken).ConfigureAwait(false))
        {
            throw new ToolArgumentException($"{context.Display(relativePath)} is a directory, not a file");
        }

        try
        {
            return await context.Sandbox.ReadFileAsync(relativePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The file's text; for an edit it must be valid UTF-8, for viewing invalid bytes are replaced.</summary>
    /// <exception cref="ToolArgumentException">Binary content, or (for edits) not UTF-8.</exception>
    public static string Decode(byte[] bytes, string display, bool forEdit)
    {
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8000)).Contains((byte)0))
        {
            throw new ToolArgumentException($"{display} is a binary file; this tool only works on text files");
        }

        if (!forEdit)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ToolArgumentException($"{display} is not valid UTF-8 text; edit it with bash instead", ex);
        }
    }

    public static byte[] Encode(string text) => StrictUtf8.GetBytes(text);

    /// <summary>True for the workspace root and existing directories.</summary>
    /// <exception cref="ArgumentException">The path leads outside the workspace through a symbolic link.</exception>
    public static async Task<bool> IsDirectoryAsync(ToolContext context, string relativePath, CancellationToken cancellationToken) =>
        relativePath.Length == 0
        || await context.Sandbox.GetPathKindAsync(relativePath, cancellationToken).ConfigureAwait(false) == SandboxPathKind.Directory;

    /// <summary>Refuses the root and anything inside a <c>.git</c> directory.</summary>
    /// <exception cref="ToolArgumentException">The path may not be written.</exception>
    public static void EnsureWritable(ToolContext context, string relativePath)
    {
        if (relativePath.Length == 0)
        {
            throw new ToolArgumentException($"{context.Display(relativePath)} is the repository root; give a file path");
        }

        if (relativePath.Split('/').Contains(".git", StringComparer.Ordinal))
        {
            throw new ToolArgumentException($"{context.Display(relativePath)} is inside .git; the repository's metadata may not be edited");
        }
    }
}
