using Sparring.Repos;
using Sparring.Sandboxes;

namespace Sparring.Testing;

/// <summary>
/// The probe: snapshot a repository at a commit, detect its runner, prepare its environment once,
/// run its tests in a sandbox on a throwaway copy, and read the results.
/// </summary>
public sealed class Prober
{
    private readonly ISandboxProvider _sandboxes;
    private readonly SnapshotStore _snapshots;

    public Prober(ISandboxProvider sandboxes, SnapshotStore snapshots)
    {
        _sandboxes = sandboxes;
        _snapshots = snapshots;
    }

    /// <summary>Progress messages (detection, setup commands) for a human.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <summary>Called with the plan before anything is prepared, e.g. to check toolchains.</summary>
    public Func<TestPlan, CancellationToken, Task>? BeforePrepare { get; init; }

    public async Task<ProbeResult> ProbeAsync(string repositoryPath, ProbeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var repository = await GitRepository.OpenAsync(repositoryPath, cancellationToken).ConfigureAwait(false);
        var commit = await repository.ResolveCommitAsync(options.Revision, cancellationToken).ConfigureAwait(false);
        var dirty = options.Revision == "HEAD" && await repository.HasUncommittedChangesAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await _snapshots.GetOrCreateAsync(repository, commit, cancellationToken).ConfigureAwait(false);

        var plan = TestRunnerDetector.Plan(snapshot.TreePath, options.Settings);
        OnProgress?.Invoke($"runner: {plan.Runner} ({plan.Reason})");
        if (BeforePrepare is not null)
        {
            await BeforePrepare(plan, cancellationToken).ConfigureAwait(false);
        }

        var preparer = new EnvironmentPreparer(_sandboxes, _snapshots.CacheRoot)
        {
            OnStep = step => OnProgress?.Invoke($"setup: {step}"),
            Workspaces = options.Workspaces,
        };
        var environment = await preparer.PrepareAsync(snapshot, plan, cancellationToken).ConfigureAwait(false);
        OnProgress?.Invoke($"running: {plan.Command.Command}");
        var runner = new TestRunner(_sandboxes);
        var runs = new List<TestRun> { await runner.RunAsync(environment, plan.Command, cancellationToken).ConfigureAwait(false) };
        while (runs.Count < options.Runs && runs[0].SuiteRan)
        {
            OnProgress?.Invoke($"running again ({runs.Count + 1} of {options.Runs}), for tests whose status varies");
            runs.Add(await runner.RunAsync(environment, plan.Command, cancellationToken).ConfigureAwait(false));
        }

        var run = runs[0];
        return new ProbeResult
        {
            Repository = repository.Root,
            Commit = commit,
            UncommittedChanges = dirty,
            Plan = plan,
            Environment = environment,
            Run = run,
            Runs = runs,
            Flaky = FlakyTests.Find(runs),
        };
    }
}
