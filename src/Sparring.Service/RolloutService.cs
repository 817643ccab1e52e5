using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Internal;
using Sparring.Llm;
using Sparring.Repos;
using Sparring.Runs;
using Sparring.Sandboxes;
using Sparring.Solving;
using Sparring.Testing;

namespace Sparring.Service;

/// <summary>
/// Rollouts for an external RL trainer: a request names bug tasks, a policy endpoint and its version, and a group
/// size; the service runs the solver agent on each task group-size times, grades every attempt, and returns each
/// group with rewards, advantages and the token-level records of the <c>rl</c> export.
/// </summary>
/// <remarks>
/// Thread-safe. Requests run concurrently and their attempts go through one <see cref="StagedDispatcher"/> sized by
/// <see cref="RolloutServiceOptions"/>, so a large request cannot starve the machine and a failed one stops only its
/// own attempts; prepared environments are shared between requests. Jobs live in memory
/// (a finished job also writes <c>WORK/&lt;id&gt;/result.json</c>): a restarted service has forgotten unfinished jobs,
/// and the trainer resubmits them.
/// </remarks>
public sealed partial class RolloutService : IAsyncDisposable
{
    private readonly ISandboxProvider _sandboxes;
    private readonly RolloutServiceOptions _options;
    private readonly TimeProvider _time;
    private readonly StagedDispatcher _dispatcher;
    private readonly ConcurrentDictionary<string, JobState> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Repository, string Commit, string Settings), Lazy<Task<PreparedEnvironment>>> _environments = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _sequence;

    public RolloutService(ISandboxProvider sandboxes, RolloutServiceOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sandboxes);
        ArgumentNullException.ThrowIfNull(options);
        _sandboxes = sandboxes;
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
        // Unbounded queues: a prepared attempt waits for a solver without holding a preparer, so set-ups never stall behind slow episodes (the service has no option to bound them).
        _dispatcher = new StagedDispatcher(new StageOptions { Prepare = options.PrepareWorkers, Solve = options.SolveWorkers, Grade = options.GradeWorkers, QueueCapacity = int.MaxValue });
        Directory.CreateDirectory(options.WorkDirectory);
    }

    /// <summary>Checks the request (repositories, artifacts, policy, options) and queues it.</summary>
    /// <exception cref="ArgumentException">The request is unusable; the message says what to fix. Nothing was queued.</exception>
    /// <exception cref="UnsafePathException">A task's artifact names a path outside its repository, or a test file it lacks. Nothing was queued.</exception>
    public async Task<RolloutJob> SubmitAsync(RolloutRequest request, CancellationToken cancellationToken = default)
    {
        var job = await CheckAsync(request, cancellationToken).ConfigureAwait(false);
        _jobs[job.Id] = job;
        job.Runner = Task.Run(() => RunAsync(job), CancellationToken.None);
        Forget();
        return job.Snapshot();
    }

    /// <summary>The job now, or null when the id is unknown (or forgotten).</summary>
    public RolloutJob? Get(string id) => _jobs.TryGetValue(id, out var job) ? job.Snapshot() : null;

    /// <summary>The job once it has finished, or as it is after <paramref name="wait"/>.</summary>
    public async Task<RolloutJob?> WaitAsync(string id, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        if (wait > TimeSpan.Zero && job.Runner is { } runner)
        {
            await Task.WhenAny(runner, Task.Delay(wait, _time, cancellationToken)).ConfigureAwait(false);
        }

        return job.Snapshot();
    }

    /// <summary>Cancels a job (its running episodes stop); null when the id is unknown.</summary>
    public async Task<RolloutJob?> CancelAsync(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        await job.Cancellation.CancelAsync().ConfigureAwait(false);
        if (job.Runner is { } runner)
        {
            await runner.ConfigureAwait(false);
        }

        return job.Snapshot();
    }

    /// <summary>Jobs by status.</summary>
    public IReadOnlyDictionary<string, int> Counts() =>
        _jobs.Values.GroupBy(j => j.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var job in _jobs.Values)
        {
            await job.Cancellation.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_jobs.Values.Select(j => j.Runner ?? Task.CompletedTask)).ConfigureAwait(false);
        foreach (var job in _jobs.Values)
        {
            job.Cancellation.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(JobState job)
    {
        job.Status = "running";
        var cancellationToken = job.Cancellation.Token;
        string status;
        try
        {
            var policy = job.Request.Policy;
            using var client = ModelClients.Create(new ModelClientOptions { Endpoint = new Uri(policy.Url), Model = policy.Model, ApiKey = policy.ApiKey }.Validate(), time: _time);
            var agent = new SolverAgent(_sandboxes, client, job.Role, _time);
            job.Groups = await Task.WhenAll(job.Tasks.Select(t => RunGroupAsync(job, agent, t, cancellationToken))).ConfigureAwait(false);
            status = "done";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "cancelled";
        }
        catch (Exception ex) when (ex is ModelServerException or SandboxException or EnvironmentPreparationException or SuiteDidNotRunException or GitException or InvalidDataException or IOException or ArtifactApplyException or UnsafePathException)
        {
            job.Error = ex.Message;
            job.Diagnosis = ex switch
            {
                SuiteDidNotRunException suite => suite.Diagnosis,
                EnvironmentPreparationException setup => setup.Diagnosis,
                _ => null,
            };
            status = "failed";
        }
        catch (Exception ex)
        {
            job.Error = "internal error (a bug in Sparring; please report it): " + ex;
            status = "failed";
        }

        job.FinishedAt = _time.GetUtcNow();
        try
        {
            await AtomicFile.WriteAllTextAsync(
                Path.Combine(_options.WorkDirectory, job.Id, "result.json"), JsonSerializer.Serialize(job.Snapshot() with { Status = status }, ServiceJsonContext.Default.RolloutJob), CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The result is still served from memory; a full disk must not turn a finished job into a failed one.
        }

        // Last: a caller that sees the final status sees everything else too.
        job.Status = status;
    }

    private async Task<RolloutGroupResult> RunGroupAsync(JobState job, SolverAgent agent, CheckedTask task, CancellationToken cancellationToken)
    {
        var environment = await EnvironmentAsync(task.Repository, task.Commit, task.Settings).WaitAsync(cancellationToken).ConfigureAwait(false);
        await RequireBaselineAsync(environment, task, cancellationToken).ConfigureAwait(false);
        var directory = Path.Combine(_options.WorkDirectory, job.Id, task.Id);
        var attempts = await Task.WhenAll(Enumerable.Range(1, job.Request.GroupSize).Select(n =>
            AttemptAsync(job, agent, environment, task.Artifact, n, Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"attempt-{n}")), cancellationToken))).ConfigureAwait(false);
        if (attempts.FirstOrDefault(a => AgentExit.ServerUnusable(a.Exit, a.ExitDetail)) is { } unusable)
        {
            throw new ModelServerException(ModelErrorKind.Unreachable, $"the policy server cannot be used: {unusable.ExitDetail}");
        }

        if (attempts.FirstOrDefault(a => AgentExit.ServerFailed(a.Exit, a.ExitDetail, a.Turns)) is { } failed)
        {
            // An infrastructure failure is never a reward: the job fails, and the trainer resubmits the task.
            throw new ModelServerException(AgentExit.ModelErrorKindOf(failed.ExitDetail)!.Value, $"the policy server failed during attempt {failed.Attempt} of task {task.Id}, so the group is not scored: {failed.ExitDetail}");
        }

        var rewarded = new List<SolveAttempt>(attempts.Length);
        foreach (var attempt in attempts)
        {
            rewarded.Add(await AttemptRewards.ApplyAsync(attempt, job.Request.Reward, task.Artifact, environment.Snapshot.TreePath, cancellationToken).ConfigureAwait(false));
        }

        return await GroupAsync(job.Request, _options.WorkDirectory, directory, job.Id + "/" + task.Id, task.Id, rewarded, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The task's test script must pass somewhere on the original tree, or no episode starts (a grading stage's run; cached once it passes).</summary>
    private Task RequireBaselineAsync(PreparedEnvironment environment, CheckedTask task, CancellationToken cancellationToken) =>
        _dispatcher.RunInGradeStageAsync(
            ct => BaselineGuard.RequireAsync(new ArtifactTestRunner(_sandboxes, environment, task.Artifact), _options.Baseline, $"the original tree of task '{task.Id}'", ct),
            cancellationToken);

    /// <summary>One attempt through the stages shared by every request.</summary>
    private async Task<SolveAttempt> AttemptAsync(JobState job, SolverAgent agent, PreparedEnvironment environment, BugArtifact artifact, int attempt, string directory, CancellationToken cancellationToken)
    {
        var result = await _dispatcher.AttemptAsync(agent, environment, artifact, attempt, directory, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref job.AttemptsDone);
        return result;
    }

    /// <summary>
    /// The repository prepared at the commit with its settings, once per service (a failed preparation is retried by the
    /// next request); settings changed between requests give another environment.
    /// </summary>
    private async Task<PreparedEnvironment> EnvironmentAsync(string repository, string commit, EnvironmentSettings settings)
    {
        var key = (repository, commit, EnvironmentSettingsFile.Format(settings, []));
        var lazy = _environments.GetOrAdd(key, k => new Lazy<Task<PreparedEnvironment>>(() => PrepareAsync(k.Repository, k.Commit, settings, _stopping.Token)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _environments.TryRemove(new KeyValuePair<(string, string, string), Lazy<Task<PreparedEnvironment>>>(key, lazy));
            throw;
        }
    }

    private async Task<PreparedEnvironment> PrepareAsync(string repositoryPath, string commit, EnvironmentSettings settings, CancellationToken cancellationToken)
    {
        var store = new SnapshotStore(_options.CacheRoot);
        var repository = await GitRepository.OpenAsync(repositoryPath, cancellationToken).ConfigureAwait(false);
        var snapshot = await store.GetOrCreateAsync(repository, commit, cancellationToken).ConfigureAwait(false);
        var plan = TestRunnerDetector.PlanOrNone(snapshot.TreePath, settings);
        var preparer = new EnvironmentPreparer(_sandboxes, store.CacheRoot, _time) { Workspaces = _options.Workspaces };
        return await preparer.PrepareAsync(snapshot, plan, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the oldest finished jobs beyond <see cref="RolloutServiceOptions.RetainedJobs"/>.</summary>
    private void Forget()
    {
        var finished = _jobs.Values.Where(j => j.FinishedAt is not null).OrderBy(j => j.Sequence).ToList();
        foreach (var job in finished.Take(Math.Max(0, _jobs.Count - _options.RetainedJobs)))
        {
            if (_jobs.TryRemove(job.Id, out var removed))
            {
                removed.Cancellation.Dispose();
            }
        }
    }

    private string NextId() =>
        string.Create(CultureInfo.InvariantCulture, $"job-{Interlocked.Increment(ref _sequence):D6}-{Guid.NewGuid().ToString("N")[..6]}");
}
