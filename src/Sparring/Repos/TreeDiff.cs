
namespace Sparring.Repos;

/// <summary>
/// Unified diffs between two directory trees, made by git itself so the text is exactly
/// <c>git diff --binary</c>'s: additions, deletions, renames, mode changes, binary files and
/// "\ No newline at end of file" all as git writes them. Neither tree needs to be a repository.
/// </summary>
/// <remarks>
/// Each tree's own <c>.gitignore</c> rules apply (build outputs stay out of the diff); <c>.git</c>
/// directories are never part of a diff. Paths in the diff are relative to the tree roots.
/// </remarks>
public static class TreeDiff
{
    /// <summary>The diff that turns <paramref name="before"/> into <paramref name="after"/>; empty when they are equal.</summary>
    public static async Task<string> DiffAsync(string before, string after, CancellationToken cancellationToken = default)
    {
        var scratch = Directory.CreateTempSubdirectory("sparring-diff-").FullName;
        try
        {
            var gitDir = Path.Combine(scratch, "git");
            await Git.RunAsync(scratch, ["init", "--quiet", "--bare", gitDir], cancellationToken).ConfigureAwait(false);
            var treeBefore = await WriteTreeAsync(gitDir, before, Path.Combine(scratch, "index-before"), cancellationToken).ConfigureAwait(false);
            var treeAfter = await WriteTreeAsync(gitDir, after, Path.Combine(scratch, "index-after"), cancellationToken).ConfigureAwait(false);
            return await Git.RunAsync(
                scratch,
                ["--git-dir=" + gitDir, "diff", "--binary", "-M", "--no-ext-diff", "--no-textconv", "--no-color", treeBefore, treeAfter],
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Hashes a directory into the scratch object store and returns its tree id.</summary>
    internal static async Task<string> WriteTreeAsync(string gitDir, string tree, string indexFile, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(tree);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"'{tree}' does not exist.");
        }

        var env = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = indexFile };
        var args = new[] { "--git-dir=" + gitDir, "--work-tree=" + full };
        await Git.RunAsync(full, [.. args, "add", "--all", "--", "."], cancellationToken, env).ConfigureAwait(false);
        var id = await Git.RunAsync(full, [.. args, "write-tree"], cancellationToken, env).ConfigureAwait(false);
        return id.Trim();
    }
}
