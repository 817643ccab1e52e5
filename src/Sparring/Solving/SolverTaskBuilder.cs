using System.Reflection;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// Builds the solver's starting point (spec §1.4): the prepared tree with <c>bug_inject.diff</c>, then
/// <c>test_weaken.diff</c>, then for an order-2 bug <c>pred_patch.diff</c>; every <c>.git</c> removed; one fresh
/// commit with a fixed author and date, so the same artifact always gives the same commit id.
/// </summary>
public static class SolverTaskBuilder
{
    /// <summary>Author and committer date of the single commit (fixed so the commit id is reproducible).</summary>
    public const string CommitDate = "2000-01-01T00:00:00+0000";

    /// <summary>Where the solver's tree is, as the prompt tells it (the sandbox's workspace mount).</summary>
    public const string DefaultWorkdir = "/repo";

    private static readonly Lazy<string> Template = new(() => PromptTemplates.Load(PromptTemplates.Solver));

    /// <summary>Builds the task; the caller disposes it (which deletes its workspace).</summary>
    /// <exception cref="ArtifactApplyException">One of the artifact's diffs does not apply; the message names which and quotes git.</exception>
    /// <exception cref="UnsafePathException">The artifact names a path outside the repository, or lists a test file the repository lacks.</exception>
    public static async Task<SolverTask> BuildAsync(PreparedEnvironment environment, BugArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);

        // Grading would refuse such an artifact: refuse it before an episode is spent on it.
        ArtifactPaths.CheckTestFilesExist(artifact, environment.Snapshot.TreePath);
        var workspace = await BrokenTree.CreateAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        try
        {
            RemoveGitDirectories(workspace.TreePath, workspace.SharedDirectories);
            var commit = await CommitAsync(workspace, cancellationToken).ConfigureAwait(false);
            var restored = await RestoredTestsDiffAsync(environment, workspace.TreePath, artifact, cancellationToken).ConfigureAwait(false);
            return new SolverTask
            {
                Workspace = workspace,
                Prompt = RenderPrompt(restored),
                RestoredTestsDiff = restored,
                Commit = commit,
                Artifact = artifact,
            };
        }
        catch
        {
            await workspace.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The solver prompt for a reversed weakening diff; no natural-language issue (spec §1.4.3).</summary>
    public static string RenderPrompt(string restoredTestsDiff, string workdir = DefaultWorkdir)
    {
        ArgumentNullException.ThrowIfNull(restoredTestsDiff);
        return Template.Value
            .Replace("{{workdir}}", workdir, StringComparison.Ordinal)
            .Replace("{{restored_tests}}", restoredTestsDiff.TrimEnd('\n'), StringComparison.Ordinal);
    }

    /// <summary>
    /// The diff that takes the weakened test files back to the original: what grading restores. Computed by
    /// git from the two versions of each file, so it is exact even for an order-2 bug whose failed patch touched tests.
    /// </summary>
    public static async Task<string> RestoredTestsDiffAsync(PreparedEnvironment environment, string solverTree, BugArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        paths.UnionWith(await ChangedPathsAsync(artifact, artifact.TestWeakenDiff, BugArtifactFiles.TestWeaken, cancellationToken).ConfigureAwait(false));
        if (!string.IsNullOrWhiteSpace(artifact.PredPatch))
        {
            var listed = artifact.TestFiles.ToHashSet(StringComparer.Ordinal);
            paths.UnionWith((await ChangedPathsAsync(artifact, artifact.PredPatch, BugArtifactFiles.PredPatch, cancellationToken).ConfigureAwait(false)).Where(listed.Contains));
        }

        if (paths.Count == 0)
        {
            return "";
        }

        var scratch = Directory.CreateTempSubdirectory("sparring-restored-").FullName;
        try
        {
            var weakened = Path.Combine(scratch, "weakened");
            var original = Path.Combine(scratch, "original");
            Directory.CreateDirectory(weakened);
            Directory.CreateDirectory(original);
            foreach (var path in paths)
            {
                CopyIfExists(Path.Combine(solverTree, path), Path.Combine(weakened, path));
                CopyIfExists(Path.Combine(environment.TreePath, path), Path.Combine(original, path));
            }

            return await TreeDiff.DiffAsync(weakened, original, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> ChangedPathsAsync(BugArtifact artifact, string diff, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await DiffApplier.ChangedPathsAsync(diff, cancellationToken).ConfigureAwait(false);
        }
        catch (DiffApplyException ex)
        {
            throw new ArtifactApplyException(artifact.Metadata.Id, name, ex);
        }
    }

    private static void CopyIfExists(string from, string to)
    {
        if (File.Exists(from))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
        }
    }

    /// <summary>Deletes every <c>.git</c> (directory or gitlink file) so no history survives; shared dependency folders are left alone.</summary>
    internal static void RemoveGitDirectories(string tree, IReadOnlyList<string> sharedDirectories)
    {
        var shared = sharedDirectories.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(tree, d)))).ToHashSet(StringComparer.Ordinal);
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(tree)]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in dir.EnumerateFileSystemInfos())
            {
                if (entry.Name == ".git")
                {
                    if (entry is DirectoryInfo && entry.LinkTarget is null)
                    {
                        TreeCopier.DeleteTree(entry.FullName);
                    }
                    else
                    {
                        entry.Delete();
                    }
                }
                else if (entry is DirectoryInfo child && child.LinkTarget is null && !shared.Contains(child.FullName))
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static async Task<string> CommitAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var tree = workspace.TreePath;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_AUTHOR_DATE"] = CommitDate,
            ["GIT_COMMITTER_DATE"] = CommitDate,
            ["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(Path.GetFullPath(tree).TrimEnd('/')) ?? "/",
        };
        await Git.RunAsync(tree, ["-c", "init.defaultBranch=main", "init", "--quiet"], cancellationToken, env).ConfigureAwait(false);

        // Prepared dependency folders are read-only mounts of the cache, not the solver's code.
        var exclude = Path.Combine(tree, ".git", "info", "exclude");
        Directory.CreateDirectory(Path.GetDirectoryName(exclude)!);
        await File.AppendAllLinesAsync(exclude, workspace.SharedDirectories.Select(d => "/" + d.Trim('/') + "/"), cancellationToken).ConfigureAwait(false);

        await Git.RunAsync(tree, ["add", "--all", "--", "."], cancellationToken, env).ConfigureAwait(false);
        await Git.RunAsync(tree, ["-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify", "--allow-empty", "-m", "Initial commit"], cancellationToken, env).ConfigureAwait(false);
        return (await Git.RunAsync(tree, ["rev-parse", "HEAD"], cancellationToken, env).ConfigureAwait(false)).Trim();
    }
}
