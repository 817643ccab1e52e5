using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Artifacts;

/// <summary>
/// Runs the consistency checks of spec §1.3 on a bug artifact against a prepared environment. Static
/// checks come first (they cost no test run); the baseline run is cached per environment; independent
/// runs go in parallel. An artifact is valid only when every check passes.
/// </summary>
public sealed partial class ArtifactValidator
{
    private readonly ISandboxProvider _sandboxes;
    private readonly ValidationOptions _options;
    private readonly TimeProvider _time;

    public ArtifactValidator(ISandboxProvider sandboxes, ValidationOptions? options = null, TimeProvider? time = null)
    {
        _sandboxes = sandboxes;
        _options = (options ?? new ValidationOptions()).Validate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Called with each check as it is decided.</summary>
    public Action<CheckResult>? OnCheck { get; init; }

    /// <summary>Runs every check (or up to the first failure, per <see cref="ValidationOptions.StopAtFirstFailure"/>).</summary>
    /// <exception cref="UnsafePathException">
    /// The artifact names a path outside the repository (test_files.txt or a diff: absolute, <c>..</c>, into <c>.git</c>,
    /// through a symbolic link leaving the tree): an error, not a failed check, raised before any test run.
    /// </exception>
    public Task<ValidationReport> ValidateAsync(PreparedEnvironment environment, BugArtifact artifact, CancellationToken cancellationToken = default) =>
        ValidateAsync(environment, artifact, buggyRun: null, knownBugs: null, cancellationToken);

    /// <summary>
    /// Validates with a run the caller already made of the artifact's test script on the prepared tree with the bug
    /// applied (the procedural injector's candidate run), in place of running it again for bug-is-real.
    /// </summary>
    /// <param name="environment">The prepared environment.</param>
    /// <param name="artifact">The artifact to validate.</param>
    /// <param name="buggyRun">The caller's run of the artifact's script on the tree with the bug, or null to run it here.</param>
    /// <param name="knownBugs">
    /// Bugs this validator found valid on the same environment: when restoring one file of a multi-file bug leaves
    /// exactly one of them (a combined bug less one part), its failing tests are known, and no-redundant-edits needs
    /// no run for that file.
    /// </param>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <remarks>Internal: only Sparring's own runs may stand in for the validator's; an artifact from a policy is always run here.</remarks>
    internal async Task<ValidationReport> ValidateAsync(
        PreparedEnvironment environment, BugArtifact artifact, TestRun? buggyRun, IReadOnlyList<BugArtifact>? knownBugs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);
        var started = _time.GetTimestamp();
        await ArtifactPaths.CheckAsync(artifact, [environment.Snapshot.TreePath, environment.TreePath], cancellationToken).ConfigureAwait(false);
        var session = new Session(this, environment, artifact, buggyRun, knownBugs ?? []);
        try
        {
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.Gate.Dispose();
        }

        var failed = session.Checks.FirstOrDefault(c => !c.Passed);
        return new ValidationReport
        {
            Valid = failed is null && session.Checks.Count == ValidationChecks.All.Count,
            FailedCheck = failed?.Name,
            Checks = session.Checks,
            BaselinePassing = session.BaselinePassing,
            FailToPass = session.FailToPass,
            TestRuns = session.TestRuns,
            DurationMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1),
        };
    }

    /// <summary>The state of one validation: checks decided so far and what later checks need.</summary>
    private sealed partial class Session(ArtifactValidator owner, PreparedEnvironment environment, BugArtifact artifact, TestRun? buggyRun, IReadOnlyList<BugArtifact> knownBugs)
    {
        private readonly ArtifactTestRunner _runner = new(owner._sandboxes, environment, artifact) { ScriptTimeout = owner._options.ScriptTimeout };
        private int _testRuns;

        public List<CheckResult> Checks { get; } = [];
        public SemaphoreSlim Gate { get; } = new(owner._options.MaxParallelRuns);
        public IReadOnlyList<string> BaselinePassing { get; private set; } = [];
        public IReadOnlyList<string> FailToPass { get; private set; } = [];
        public int TestRuns => _testRuns;

        private ValidationOptions Options => owner._options;

        /// <summary>Records a verdict; returns false when validation should stop here.</summary>
        private bool Decide(string name, bool passed, string evidence)
        {
            var result = new CheckResult { Name = name, Passed = passed, Evidence = evidence };
            Checks.Add(result);
            owner.OnCheck?.Invoke(result);
            return passed || !Options.StopAtFirstFailure;
        }

        /// <summary>Runs the script in a fresh workspace prepared by <paramref name="arrange"/> (which returns a problem, or null).</summary>
        private async Task<(TestRun? Run, string? Problem)> RunAsync(Func<Workspace, Task<string?>> arrange, CancellationToken cancellationToken)
        {
            await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var workspace = await _runner.CreateWorkspaceAsync(cancellationToken).ConfigureAwait(false);
                if (await arrange(workspace).ConfigureAwait(false) is { } problem)
                {
                    return (null, problem);
                }

                Interlocked.Increment(ref _testRuns);
                return (await _runner.RunAsync(workspace, cancellationToken).ConfigureAwait(false), null);
            }
            finally
            {
                Gate.Release();
            }
        }

        private static async Task<string?> ApplyAsync(Workspace workspace, string diff, string name, CancellationToken cancellationToken)
        {
            try
            {
                await DiffApplier.ApplyAsync(workspace.TreePath, diff, cancellationToken: cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (DiffApplyException ex)
            {
                return $"{name} does not apply: {ex.GitMessage}";
            }
        }

        private static async Task<(IReadOnlyList<string> Paths, string? Problem)> PathsAsync(string diff, string name, CancellationToken cancellationToken)
        {
            try
            {
                return (await DiffApplier.ChangedPathsAsync(diff, cancellationToken).ConfigureAwait(false), null);
            }
            catch (DiffApplyException ex)
            {
                return ([], $"{name} is not a readable diff: {ex.GitMessage}");
            }
        }

        private static string List(IEnumerable<string> items, int max = 10)
        {
            var all = items.ToList();
            return all.Count == 0 ? "none"
                : all.Count <= max ? string.Join(", ", all)
                : string.Join(", ", all.Take(max)) + $" and {all.Count - max} more";
        }
    }
}
