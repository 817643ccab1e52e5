namespace Sparring.Repos;

/// <summary>Where Sparring keeps snapshots, prepared environments, shared caches and workspaces.</summary>
public static class SparringPaths
{
    /// <summary>
    /// <c>$SPARRING_CACHE</c>, else <c>$XDG_CACHE_HOME/sparring</c>, else <c>~/.cache/sparring</c>.
    /// Workspaces live under it too, beside the prepared trees they are copied from.
    /// </summary>
    public static string DefaultCacheRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("SPARRING_CACHE");
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(baseDir, "sparring");
    }
}
