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

        var root = Path.GetFullPath(workspace);
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!IsInside(root, full))
        {
            throw new ArgumentException($"'{relativePath}' points outside the workspace.", nameof(relativePath));
        }

        // A symlink inside the workspace may point anywhere; follow each existing component.
        var current = root;
        foreach (var part in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar))
        {
            if (part is "." or "")
            {
                continue;
            }

            current = Path.Combine(current, part);
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                var target = info.LinkTarget is null ? null : (FileSystemInfo?)info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not null && !IsInside(root, Path.GetFullPath(target.FullName)))
                {
                    throw new ArgumentException($"'{relativePath}' leads outside the workspace through a symbolic link.", nameof(relativePath));
                }
            }
        }

        return full;
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);
}
