using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// Runs an artifact's test script on the solver's tree — the broken tree, or the fixed one (the original with the
/// artifact's <c>test_weaken.diff</c>: the same test files the broken tree has, and no bug) — with patches applied in
/// order: a candidate fix, a generated test. Nothing is restored: the suite is the one a solver can see.
/// </summary>
public sealed class GeneratedTestRunner(ISandboxProvider sandboxes, PreparedEnvironment environment, BugArtifact artifact)
{
    /// <summary>The limit of one run of the suite.</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The run on the broken (or fixed) tree with <paramref name="patches"/> applied.</summary>
    /// <exception cref="DiffApplyException">A patch does not apply; nothing ran.</exception>
    /// <exception cref="UnsafePathException">A patch names a path outside the tree, or leaves a link leading out of it.</exception>
    public async Task<TestRun> RunAsync(bool fixedTree, IReadOnlyList<string> patches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var workspace = fixedTree ? await FixedTreeAsync(cancellationToken).ConfigureAwait(false) : await BrokenTree.CreateAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        await using (workspace.ConfigureAwait(false))
        {
            foreach (var patch in patches)
            {
                var paths = await DiffApplier.ChangedPathsAsync(patch, cancellationToken).ConfigureAwait(false);
                RepoPaths.CheckAll(workspace.TreePath, paths, "a generated test or candidate patch");
                await DiffApplier.ApplyAsync(workspace.TreePath, patch, cancellationToken: cancellationToken).ConfigureAwait(false);
                RepoPaths.CheckAll(workspace.TreePath, paths, "a generated test or candidate patch");
            }

            return await new ArtifactTestRunner(sandboxes, environment, artifact) { ScriptTimeout = ScriptTimeout }.RunAsync(workspace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The test ids of <paramref name="run"/> with whether each passed, or why the run says nothing.</summary>
    public static Rewards.TestWriterReward.Run Outcomes(TestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var problem = run.TimedOut ? "the suite timed out" : !run.SuiteRan ? $"the suite did not run ({run.Evidence})" : null;
        return new Rewards.TestWriterReward.Run(run.Tests.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.All(t => t.Status == TestStatus.Passed), StringComparer.Ordinal), problem);
    }

    private async Task<Workspace> FixedTreeAsync(CancellationToken cancellationToken)
    {
        var workspace = await TestRunner.CreateWorkspaceAsync(environment, cancellationToken).ConfigureAwait(false);
        try
        {
            var named = await DiffApplier.ChangedPathsAsync(artifact.TestWeakenDiff, cancellationToken).ConfigureAwait(false);
            RepoPaths.CheckAll(workspace.TreePath, named, $"test_weaken.diff of artifact '{artifact.Metadata.Id}'");
            try
            {
                await DiffApplier.ApplyAsync(workspace.TreePath, artifact.TestWeakenDiff, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (DiffApplyException ex)
            {
                throw new ArtifactApplyException(artifact.Metadata.Id, BugArtifactFiles.TestWeaken, ex);
            }

            return workspace;
        }
        catch
        {
            await workspace.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
