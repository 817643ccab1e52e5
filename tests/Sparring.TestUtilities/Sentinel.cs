namespace Sparring.TestUtilities;

/// <summary>
/// A host file outside every repository and workspace, aimed at by an artifact or a patch that names a path outside
/// the repository. The path-safety tests of every verb check that the path is refused and that this file, and the
/// folder it sits in, are neither deleted nor written. Deleted on dispose.
/// </summary>
public sealed class Sentinel : IDisposable
{
    /// <summary>What the file holds, and must still hold.</summary>
    public const string Content = "sentinel: must survive\n";

    private readonly string[] _neighbours;

    /// <summary>Creates the sentinel in <paramref name="directory"/> (made when absent), named like a test file.</summary>
    public Sentinel(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, $"test_sentinel_{Guid.NewGuid():N}.py");
        File.WriteAllText(Path, Content);
        _neighbours = System.IO.Directory.GetFileSystemEntries(directory);
    }

    /// <summary>
    /// A sentinel beside the cache's workspaces (CACHE/workspaces/ws-…/tree), where <see cref="FromWorkspaceTree"/>
    /// leads: the red team's path, which made grading delete a host file that the original tree did not have.
    /// </summary>
    public static Sentinel BesideWorkspaces(string cacheRoot) => new(System.IO.Path.Combine(cacheRoot, "workspaces"));

    public string Path { get; }

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary><c>../../NAME</c>: from a workspace's tree, this file when it sits beside the workspaces.</summary>
    public string FromWorkspaceTree => "../../" + System.IO.Path.GetFileName(Path);

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The file is there with its content, and nothing appeared beside it (workspaces and other tests' sentinels aside).</summary>
    public bool Untouched =>
        File.Exists(Path) && File.ReadAllText(Path) == Content
        && Others(System.IO.Directory.GetFileSystemEntries(Directory)).SequenceEqual(Others(_neighbours));

    /// <summary>Entries beside the sentinel that no concurrent test makes or removes.</summary>
    private static IEnumerable<string> Others(IEnumerable<string> entries) =>
        entries.Where(e => System.IO.Path.GetFileName(e) is var name && !name.StartsWith("ws-", StringComparison.Ordinal) && !name.StartsWith("test_sentinel_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>A clone of <paramref name="repository"/> at <paramref name="destination"/> with one more commit: <paramref name="link"/>, a symbolic link to this sentinel's folder.</summary>
    public string CloneWithLinkHere(string repository, string destination, string link)
    {
        TempGitRepo.RunGit(System.IO.Path.GetDirectoryName(destination)!, ["clone", "--quiet", repository, destination]);
        var full = System.IO.Path.Combine(destination, link);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.CreateSymbolicLink(full, Directory);
        TempGitRepo.RunGit(destination, ["add", "--all"]);
        TempGitRepo.RunGit(destination, ["commit", "--quiet", "-m", "a link out of the repository"]);
        return destination;
    }

    public void Dispose() => File.Delete(Path);
}
