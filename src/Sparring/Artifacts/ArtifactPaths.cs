using Sparring.Repos;

namespace Sparring.Artifacts;

/// <summary>
/// Every path an artifact names — each line of <c>test_files.txt</c> and every path its diffs touch — checked with
/// <see cref="RepoPaths"/> before validation, solving or grading reads, writes or deletes anything by it.
/// </summary>
public static class ArtifactPaths
{
    /// <summary>Checks the artifact's paths against each tree (the repository's, the prepared one, a workspace).</summary>
    /// <remarks>A diff git cannot read names nothing here: applying it fails later and changes nothing.</remarks>
    /// <exception cref="UnsafePathException">A path is refused; the message names it, the artifact file it came from and why.</exception>
    public static async Task CheckAsync(BugArtifact artifact, IEnumerable<string> trees, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var named = await NamedAsync(artifact, cancellationToken).ConfigureAwait(false);
        foreach (var tree in trees)
        {
            Check(artifact, named, tree);
        }
    }

    /// <summary>
    /// Every listed test file is a file of the repository (the snapshot, before any setup). Grading restores
    /// listed files from the original: a listed file it does not have would be deleted from the solver's tree, and
    /// an artifact that lists one is broken.
    /// </summary>
    /// <exception cref="UnsafePathException">A listed file is absent from <paramref name="repositoryTree"/>, or unsafe.</exception>
    public static void CheckTestFilesExist(BugArtifact artifact, string repositoryTree)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        foreach (var file in artifact.TestFiles)
        {
            if (!File.Exists(RepoPaths.Check(repositoryTree, file, Origin(artifact, BugArtifactFiles.TestFilesList))))
            {
                throw new UnsafePathException(file, Origin(artifact, BugArtifactFiles.TestFilesList), "no such file in the repository (test_files.txt lists files of the repository at the artifact's commit)");
            }
        }
    }

    /// <summary>The artifact's paths with the file that names each, diffs git cannot read left out.</summary>
    internal static async Task<IReadOnlyList<(string File, string Path)>> NamedAsync(BugArtifact artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var named = artifact.TestFiles.Select(f => (BugArtifactFiles.TestFilesList, f)).ToList();
        foreach (var (file, diff) in new[] { (BugArtifactFiles.BugInject, artifact.BugInjectDiff), (BugArtifactFiles.TestWeaken, artifact.TestWeakenDiff), (BugArtifactFiles.PredPatch, artifact.PredPatch ?? "") })
        {
            try
            {
                named.AddRange((await DiffApplier.ChangedPathsAsync(diff, cancellationToken).ConfigureAwait(false)).Select(p => (file, p)));
            }
            catch (DiffApplyException)
            {
                // Not a diff git can read: it will not apply either, and says so where it is applied.
            }
        }

        return named;
    }

    /// <summary>Checks already listed paths against one tree.</summary>
    /// <exception cref="UnsafePathException">A path is refused.</exception>
    internal static void Check(BugArtifact artifact, IReadOnlyList<(string File, string Path)> named, string tree)
    {
        foreach (var (file, path) in named)
        {
            RepoPaths.Check(tree, path, Origin(artifact, file));
        }
    }

    /// <summary>How a message names where a path came from: <c>test_files.txt of artifact 'x'</c>.</summary>
    internal static string Origin(BugArtifact artifact, string file) => $"{file} of artifact '{artifact.Metadata.Id}'";
}
