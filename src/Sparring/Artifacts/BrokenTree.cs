using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Artifacts;

/// <summary>
/// The tree a solver starts from and a patch is graded on: a fresh workspace of the prepared tree with
/// <c>bug_inject.diff</c>, then <c>test_weaken.diff</c>, then for an order-2 bug <c>pred_patch.diff</c> applied.
/// </summary>
public static class BrokenTree
{
    /// <summary>A fresh workspace of the prepared tree with the artifact's diffs applied (no git repository).</summary>
    /// <exception cref="ArtifactApplyException">A diff does not apply.</exception>
    /// <exception cref="UnsafePathException">The artifact names a path outside the repository, before or after its diffs are applied; no workspace is left.</exception>
    public static async Task<Workspace> CreateAsync(PreparedEnvironment environment, BugArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);
        var named = await ArtifactPaths.NamedAsync(artifact, cancellationToken).ConfigureAwait(false);
        ArtifactPaths.Check(artifact, named, environment.Snapshot.TreePath);
        ArtifactPaths.Check(artifact, named, environment.TreePath);
        return await CreateAsync(environment, artifact, named, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The broken tree, for a caller that has checked <paramref name="named"/> against the original trees.</summary>
    internal static async Task<Workspace> CreateAsync(
        PreparedEnvironment environment, BugArtifact artifact, IReadOnlyList<(string File, string Path)> named, CancellationToken cancellationToken)
    {
        var workspace = await TestRunner.CreateWorkspaceAsync(environment, cancellationToken).ConfigureAwait(false);
        try
        {
            // The copy keeps the prepared tree's links as they are: an absolute one may lead elsewhere from here.
            ArtifactPaths.Check(artifact, named, workspace.TreePath);
            await ApplyAsync(workspace, artifact, artifact.BugInjectDiff, BugArtifactFiles.BugInject, cancellationToken).ConfigureAwait(false);
            await ApplyAsync(workspace, artifact, artifact.TestWeakenDiff, BugArtifactFiles.TestWeaken, cancellationToken).ConfigureAwait(false);
            if (artifact.Metadata.Order >= 2 || !string.IsNullOrWhiteSpace(artifact.PredPatch))
            {
                await ApplyAsync(workspace, artifact, artifact.PredPatch ?? "", BugArtifactFiles.PredPatch, cancellationToken).ConfigureAwait(false);
            }

            // A diff may add a symbolic link out of the tree (git refuses to write through one, not to create one):
            // restoring or copying a named path through it would then touch a host file.
            ArtifactPaths.Check(artifact, named, workspace.TreePath);
            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ApplyAsync(Workspace workspace, BugArtifact artifact, string diff, string name, CancellationToken cancellationToken)
    {
        try
        {
            await DiffApplier.ApplyAsync(workspace.TreePath, diff, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (DiffApplyException ex)
        {
            throw new ArtifactApplyException(artifact.Metadata.Id, name, ex);
        }
    }
}
