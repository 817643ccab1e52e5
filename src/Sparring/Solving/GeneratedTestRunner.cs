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
    /// <param name="fixedTree">The fixed tree instead of the broken one.</param>
    /// <param name="patches">Applied in order.</param>
    /// <param name="perturbed">On the broken tree: first add a line at the end of each source file the bug changed that
    /// changes its text and not its behaviour (see <see cref="PerturbAsync"/>).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="DiffApplyException">A patch does not apply; nothing ran.</exception>
    /// <exception cref="UnsafePathException">A patch names a path outside the tree, or leaves a link leading out of it.</exception>
    public async Task<TestRun> RunAsync(bool fixedTree, IReadOnlyList<string> patches, bool perturbed = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var workspace = fixedTree ? await FixedTreeAsync(cancellationToken).ConfigureAwait(false) : await BrokenTree.CreateAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        await using (workspace.ConfigureAwait(false))
        {
            if (perturbed && !fixedTree)
            {
                await PerturbAsync(workspace.TreePath, cancellationToken).ConfigureAwait(false);
            }

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
        return new Rewards.TestWriterReward.Run(run.Tests.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.All(t => t.Status == TestStatus.Passed), StringComparer.Ordinal), problem, run.TimedOut);
    }

    /// <summary>
    /// At the end of each source file the bug changed, a line that changes the text and not the behaviour: an unused
    /// variable of a fresh random name where the language allows one at file level (Python, Go, JavaScript, TypeScript),
    /// so neither a hash of the file nor one of its code without comments stays the same; else a comment.
    /// </summary>
    private async Task PerturbAsync(string tree, CancellationToken cancellationToken)
    {
        var name = "q" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        foreach (var path in await DiffApplier.ChangedPathsAsync(artifact.BugInjectDiff, cancellationToken).ConfigureAwait(false))
        {
            var full = RepoPaths.Check(tree, path, $"bug_inject.diff of artifact '{artifact.Metadata.Id}'");
            if (TestPaths.LooksLikeTest(path) || !File.Exists(full) || CommentPrefix(path) is not { } prefix)
            {
                continue;
            }

            var text = await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
            var line = Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".py" => $"{name} = 0",
                ".go" => $"var {name} = 0",
                ".js" or ".mjs" or ".cjs" or ".ts" or ".mts" or ".cts" or ".jsx" or ".tsx" => $"var {name} = 0;",
                _ => $"{prefix} {name}",
            };
            await File.AppendAllTextAsync(full, (text.Length == 0 || text.EndsWith('\n') ? "" : "\n") + line + "\n", cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? CommentPrefix(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".py" or ".sh" or ".rb" or ".pl" or ".r" => "#",
        ".go" or ".js" or ".mjs" or ".cjs" or ".ts" or ".mts" or ".cts" or ".tsx" or ".jsx" or ".cs" or ".java" or ".kt" or ".c" or ".h" or ".cc" or ".cpp" or ".hpp" or ".rs" or ".swift" or ".scala" => "//",
        _ => null,
    };

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
