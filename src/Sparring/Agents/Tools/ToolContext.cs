using Sparring.Sandboxes;

namespace Sparring.Agents.Tools;

/// <summary>
/// What the tools of one episode share: the sandbox over the working tree, the limits, and per-episode state
/// (edit history for <c>undo_edit</c>, the windowed viewer's position, the starting commit for <c>submit</c>).
/// </summary>
/// <remarks>One episode at a time; not thread-safe.</remarks>
public sealed class ToolContext
{
    public ToolContext(ISandbox sandbox, ToolOptions? options = null, ILinter? linter = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        Sandbox = sandbox;
        Options = (options ?? new ToolOptions()).Validate();
        Linter = linter;
        Time = time ?? TimeProvider.System;
    }

    public ISandbox Sandbox { get; }

    public ToolOptions Options { get; }

    /// <summary>Checks edited files for syntax errors; null disables linting.</summary>
    public ILinter? Linter { get; }

    public TimeProvider Time { get; }

    /// <summary>The commit the episode started from; <c>submit</c> diffs the working tree against it. Null: the tree's HEAD.</summary>
    public string? StartCommit { get; init; }

    /// <summary>Earlier contents of edited files, newest last, per workspace-relative path (null content: the file did not exist).</summary>
    public Dictionary<string, Stack<byte[]?>> EditHistory { get; } = new(StringComparer.Ordinal);

    /// <summary>The windowed viewer's open file (workspace-relative) and first shown line (1-based).</summary>
    public (string Path, int FirstLine)? Viewer { get; set; }

    /// <summary>Maps a path the model gave (absolute inside the sandbox, or relative to the workspace) to a workspace-relative one.</summary>
    /// <remarks>
    /// Only the text is normalised (<c>.</c>, <c>..</c>, repeated slashes; a trailing slash is kept); symbolic links are the
    /// sandbox's to check when the path is used, since only it can see where they lead.
    /// </remarks>
    /// <exception cref="ToolArgumentException">The path leaves the workspace.</exception>
    public string Relative(string path)
    {
        ArgumentNullException.ThrowIfNull(path);

        // No file name holds a NUL: say so here, not in whatever error the file methods or a command's arguments give later.
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ToolArgumentException($"path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character");
        }

        var root = Sandbox.SandboxWorkspacePath.TrimEnd('/');
        var trimmed = path.Trim();
        if (trimmed == root)
        {
            return "";
        }

        if (trimmed.StartsWith(root + "/", StringComparison.Ordinal))
        {
            trimmed = trimmed[(root.Length + 1)..];
        }
        else if (trimmed.StartsWith('/'))
        {
            throw Outside(path, root);
        }

        var segments = new List<string>();
        foreach (var segment in trimmed.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    throw Outside(path, root);
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        // A trailing slash says "a directory": kept, so that "file.py/" still fails as the model wrote it.
        var relative = string.Join('/', segments);
        return relative.Length > 0 && trimmed.EndsWith('/') ? relative + "/" : relative;
    }

    private static ToolArgumentException Outside(string path, string root) => new($"path '{path}' is outside the repository {root}");

    /// <summary>The absolute path inside the sandbox of a workspace-relative path (for messages to the model).</summary>
    public string Display(string relativePath) =>
        relativePath.Length == 0 ? Sandbox.SandboxWorkspacePath : Sandbox.SandboxWorkspacePath.TrimEnd('/') + "/" + relativePath;
}
