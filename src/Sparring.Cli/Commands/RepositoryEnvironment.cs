using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary>A repository at a commit, snapshotted and set up as for its tests (shared by exec, validate and grade).</summary>
internal static class RepositoryEnvironment
{
    public static async Task<(ISandboxProvider Sandboxes, PreparedEnvironment Environment)> PrepareAsync(
        CliConsole console, string repositoryPath, string? revision, bool install, WorkspaceOptions workspaces, CancellationToken cancellationToken)
    {
        var sandboxes = await Preflight.SandboxAsync(console, cancellationToken).ConfigureAwait(false);
        var store = new SnapshotStore();
        var repository = await GitRepository.OpenAsync(repositoryPath, cancellationToken).ConfigureAwait(false);
        var commit = await repository.ResolveCommitAsync(revision ?? "HEAD", cancellationToken).ConfigureAwait(false);
        var snapshot = await store.GetOrCreateAsync(repository, commit, cancellationToken).ConfigureAwait(false);
        // exec and artifacts bring their own commands; without a detected runner there is just nothing to prepare.
        var plan = TestRunnerDetector.DetectOrNone(snapshot.TreePath);

        await Preflight.ToolchainsAsync(console, Toolchains.For(plan), install, cancellationToken).ConfigureAwait(false);
        var preparer = new EnvironmentPreparer(sandboxes, store.CacheRoot) { OnStep = s => console.Error.WriteLine($"sparring: setup: {s}"), Workspaces = workspaces };
        var environment = await preparer.PrepareAsync(snapshot, plan, cancellationToken).ConfigureAwait(false);
        return (sandboxes, environment);
    }
}
