using Sparring.Artifacts;
using Sparring.Repos;

namespace Sparring.Solving;

/// <summary>
/// What a solver starts from (spec §1.4): the broken repository as a one-commit git repository with no
/// history, and a prompt that shows the tests that will be restored instead of an issue text.
/// </summary>
/// <remarks>Disposing the task deletes its workspace.</remarks>
public sealed record SolverTask : IAsyncDisposable
{
    /// <summary>The broken tree (bug, weakened tests, and for order 2 the failed patch), committed once.</summary>
    public required Workspace Workspace { get; init; }

    /// <summary>The prompt rendered from <c>Prompts/solver.md</c>.</summary>
    public required string Prompt { get; init; }

    /// <summary>The reverse of <c>test_weaken.diff</c> against the solver's tree: the tests that grading puts back.</summary>
    public required string RestoredTestsDiff { get; init; }

    /// <summary>The id of the single commit, so a solver's patch is <c>git diff</c> against it.</summary>
    public required string Commit { get; init; }

    public required BugArtifact Artifact { get; init; }

    /// <summary>The solver's tree (also the workspace's).</summary>
    public string TreePath => Workspace.TreePath;

    public ValueTask DisposeAsync() => Workspace.DisposeAsync();
}
