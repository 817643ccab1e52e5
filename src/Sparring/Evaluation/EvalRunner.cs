using System.Collections.Concurrent;
using System.Globalization;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Llm;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Solving;
using Sparring.Testing;

namespace Sparring.Evaluation;

/// <summary>
/// Runs a policy on a task set and grades every sample with the hardened grader. Each instance becomes a bug artifact on
/// its fixed tree (<see cref="EvalRepository"/>), is checked once (its FAIL_TO_PASS and PASS_TO_PASS tests pass on the
/// fixed tree here), and each graded try is journaled before the next starts, so a killed evaluation resumes where it
/// stopped and grades nothing twice. An infrastructure failure is an <see cref="EvalOutcome.Error"/>, retried up to
/// <see cref="EvalOptions.Retries"/> times, never a score.
/// </summary>
public sealed partial class EvalRunner
{
    /// <summary>The journal in the evaluation folder.</summary>
    public const string JournalFile = "results.jsonl";

    private readonly ISandboxProvider _sandboxes;
    private readonly Func<string, string, CancellationToken, Task<PreparedEnvironment>> _prepare;
    private readonly IEvalPolicy _policy;
    private readonly EvalOptions _options;
    private readonly TimeProvider _time;
    private readonly GeneratedTestJudge _judge;

    /// <param name="sandboxes">Where tests and agents run.</param>
    /// <param name="prepare">Prepares the environment of a repository (its folder) at a commit; called once per instance and cached by the caller as it likes.</param>
    /// <param name="policy">What makes the patches.</param>
    /// <param name="options">Samples, retries, parallelism, sources, grading.</param>
    /// <param name="time">The clock (tests).</param>
    public EvalRunner(ISandboxProvider sandboxes, Func<string, string, CancellationToken, Task<PreparedEnvironment>> prepare, IEvalPolicy policy, EvalOptions options, TimeProvider? time = null)
    {
        _sandboxes = sandboxes ?? throw new ArgumentNullException(nameof(sandboxes));
        _prepare = prepare ?? throw new ArgumentNullException(nameof(prepare));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _time = time ?? TimeProvider.System;
        _judge = new GeneratedTestJudge(sandboxes) { ScriptTimeout = _options.Grading.ScriptTimeout };
    }

    /// <summary>A line per finished try.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <summary>The model of the selectors that need one (<c>kimi-dev</c>, <c>hybrid</c>); without it they choose nothing and say why.</summary>
    public SelectionModel? SelectionModel { get; init; }

    /// <summary>After <see cref="RunAsync"/> with selectors: the latest selection of each instance by each selector.</summary>
    public IReadOnlyList<EvalSelection> Selections { get; private set; } = [];

    /// <summary>
    /// Evaluates <paramref name="tasks"/> into <paramref name="directory"/>, continuing what its journal holds, and returns
    /// every try recorded there. Only one process evaluates a folder at a time (others wait).
    /// </summary>
    /// <exception cref="ModelServerException">The model server cannot be used at all; the unfinished samples are left for <c>--resume</c>.</exception>
    /// <exception cref="ArgumentException">An instance still to play has no source for its commits (nothing is played then).</exception>
    public async Task<IReadOnlyList<EvalSample>> RunAsync(IReadOnlyList<EvalTask> tasks, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(directory);
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        await using var folderLock = await FileLock.AcquireAsync(Path.Combine(directory, ".lock"), cancellationToken).ConfigureAwait(false);
        var repository = await EvalRepository.OpenAsync(Path.Combine(directory, "repo"), cancellationToken).ConfigureAwait(false);
        using var journal = EvalJournal.Open(Path.Combine(directory, JournalFile));
        var pending = Pending(tasks, journal.Entries);
        var sourceless = new List<string>();
        foreach (var task in pending.Select(p => p.Task).DistinctBy(t => t.Id).Where(t => _options.SourceFor(t) is null))
        {
            if (!await repository.HasCommitAsync(task.BaseCommit, cancellationToken).ConfigureAwait(false))
            {
                sourceless.Add(task.Id);
            }
        }

        if (sourceless.Count > 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{sourceless.Count} instance(s) name a base commit with no repository to fetch it from ({string.Join(", ", sourceless.Take(3))}{(sourceless.Count > 3 ? ", ..." : "")}): give --repo PATH|URL (or NAME=PATH|URL per repo)"));
        }
        var instances = new ConcurrentDictionary<string, Lazy<Task<EvalInstance>>>(StringComparer.Ordinal);
        var finished = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallel, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(pending, parallel, async (item, token) =>
        {
            for (var attempt = item.Try; attempt <= 1 + _options.Retries; attempt++)
            {
                var sample = await TryAsync(repository, instances, item.Task, item.Sample, attempt, directory, token).ConfigureAwait(false);

                // A run cut by Ctrl-C may look like a suite that failed: nothing decided after cancellation is kept.
                token.ThrowIfCancellationRequested();
                journal.Append(sample);
                var last = sample.Outcome.Graded || attempt == 1 + _options.Retries;
                if (last)
                {
                    Interlocked.Increment(ref finished);
                }

                OnProgress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"[{Volatile.Read(ref finished)}/{pending.Count}] {item.Task.Id} sample {item.Sample}{(attempt > 1 ? $" try {attempt}" : "")}: {sample.Outcome}{(sample.Tampered ? " (tampered)" : "")} in {sample.DurationMs / 1000:0.0} s{(sample.Outcome == EvalOutcome.Resolved || sample.Reasons.Count == 0 ? "" : " (" + Shorten(sample.Reasons[0]) + ")")}"));
                if (last)
                {
                    break;
                }
            }
        }).ConfigureAwait(false);
        if (_options.Selectors.Count > 0)
        {
            Selections = await SelectAsync(repository, instances, tasks, journal.Entries, directory, cancellationToken).ConfigureAwait(false);
        }
        else if (File.Exists(Path.Combine(directory, SelectionFile)))
        {
            // A resume without --select keeps the choices made before in the reports.
            using var selections = EvalJournal.OpenSelections(Path.Combine(directory, SelectionFile));
            Selections = Latest(selections.Entries);
        }

        return journal.Entries;
    }

    /// <summary>The samples still to play: neither graded nor out of tries, with the try each starts at.</summary>
    public static IReadOnlyList<(EvalTask Task, int Sample, int Try)> Pending(IReadOnlyList<EvalTask> tasks, IReadOnlyList<EvalSample> journal, int samples, int retries)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(journal);
        var byKey = journal.GroupBy(e => (e.InstanceId, e.Sample)).ToDictionary(g => g.Key, g => g.ToList());
        var pending = new List<(EvalTask, int, int)>();
        foreach (var task in tasks)
        {
            for (var sample = 1; sample <= samples; sample++)
            {
                var tries = byKey.GetValueOrDefault((task.Id, sample)) ?? [];
                if (tries.Any(t => t.Outcome.Graded) || tries.Count >= 1 + retries)
                {
                    continue;
                }

                pending.Add((task, sample, tries.Count + 1));
            }
        }

        return pending;
    }

    private List<(EvalTask Task, int Sample, int Try)> Pending(IReadOnlyList<EvalTask> tasks, IReadOnlyList<EvalSample> journal) =>
        [.. Pending(tasks, journal, _options.Samples, _options.Retries)];

    private async Task<EvalSample> TryAsync(
        EvalRepository repository, ConcurrentDictionary<string, Lazy<Task<EvalInstance>>> instances, EvalTask task, int sample, int attempt, string directory, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var relative = Path.Combine("samples", task.Id, string.Create(CultureInfo.InvariantCulture, $"sample-{sample}"), string.Create(CultureInfo.InvariantCulture, $"try-{attempt}"));
        var folder = Path.Combine(directory, relative);
        PolicyOutput? output = null;
        try
        {
            var lazy = instances.GetOrAdd(task.Id, _ => new Lazy<Task<EvalInstance>>(() => InstanceAsync(repository, task, cancellationToken)));
            EvalInstance instance;
            try
            {
                instance = await lazy.Value.ConfigureAwait(false);
            }
            catch
            {
                // A failed setup is tried afresh by the next try, not remembered.
                instances.TryRemove(new KeyValuePair<string, Lazy<Task<EvalInstance>>>(task.Id, lazy));
                throw;
            }

            Directory.CreateDirectory(folder);
            output = await _policy.RunAsync(instance, sample, folder, cancellationToken).ConfigureAwait(false);
            output = output with { TrajectoryPath = output.TrajectoryPath is { } trajectory ? Path.GetRelativePath(directory, trajectory) : null };
            if (output.Exit is { } exit && AgentExit.ServerUnusable(new AgentExit(exit), output.ExitDetail))
            {
                throw new ModelServerException(ModelErrorKind.Unreachable, $"the model server cannot be used: {output.ExitDetail}");
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (output.Exit == AgentExit.Cancelled.Value)
            {
                throw new OperationCanceledException("the episode was cancelled", cancellationToken);
            }

            if (output.Exit is { } ended && AgentExit.ServerFailed(new AgentExit(ended), output.ExitDetail, output.Turns))
            {
                // The server failed after its retries (5xx, rate limits, broken replies): the infrastructure's failure, not the policy's answer.
                return Sample(task, sample, attempt, started, output, EvalOutcome.Error, [$"model: the episode ended on a model server error: {output.ExitDetail}"]);
            }

            string? patchPath = null;
            if (output.Patch is not null)
            {
                patchPath = Path.Combine(relative, BugArtifactFiles.PredPatch);
                await File.WriteAllTextAsync(Path.Combine(directory, patchPath), output.Patch, cancellationToken).ConfigureAwait(false);
            }

            if (_options.Role == TestWriterAgent.Role)
            {
                var judged = output.Patch is null
                    ? new Rewards.TestWriterReward.Result(0, [], $"no test: the episode ended with {output.Exit}")
                    : await _judge.JudgeAsync(instance.Environment, instance.Artifact, GeneratedTest.FromSubmission(output.Patch), cancellationToken).ConfigureAwait(false);
                return Sample(task, sample, attempt, started, output, judged.Reward == 1 ? EvalOutcome.Resolved : EvalOutcome.Unresolved, [judged.Reason]) with
                {
                    Patch = patchPath,
                    PatchApplied = judged.Cases.Count > 0,
                };
            }

            var grading = _options.Grading with { Targets = Targets(task) };
            var grade = await new Grader(_sandboxes, grading, _time).GradeAsync(instance.Environment, instance.Artifact, output.Patch ?? "", cancellationToken).ConfigureAwait(false);
            var passed = grade.Tests.Where(t => t.Passed).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            return Sample(task, sample, attempt, started, output, grade.Solved ? EvalOutcome.Resolved : EvalOutcome.Unresolved, grade.Reasons) with
            {
                Tampered = grade.Tampered,
                Patch = patchPath,
                PatchApplied = grade.Run is not null,
                FailToPass = Split(task.FailToPass, passed),
                PassToPass = Split(task.PassToPass, passed),
            };
        }
        catch (Exception ex) when (IsInfrastructure(ex) && !cancellationToken.IsCancellationRequested)
        {
            return Sample(task, sample, attempt, started, output, EvalOutcome.Error, [$"{Kind(ex)}: {ex.Message}"]);
        }
    }

    /// <summary>The instance's fixed tree, prepared, its artifact, and the check that its deciding tests pass there.</summary>
    private async Task<EvalInstance> InstanceAsync(EvalRepository repository, EvalTask task, CancellationToken cancellationToken)
    {
        if (task.FailToPass.Count == 0)
        {
            throw new InvalidDataException($"{task.Id} has no FAIL_TO_PASS test: nothing shows a fix");
        }

        await repository.EnsureCommitAsync(task.BaseCommit, _options.SourceFor(task), cancellationToken).ConfigureAwait(false);
        if (task.EnvironmentSetupCommit is { } setup && !await repository.HasCommitAsync(setup, cancellationToken).ConfigureAwait(false))
        {
            // Only worth having for the environment it shares; a source without it is fine.
            try
            {
                await repository.EnsureCommitAsync(setup, _options.SourceFor(task), cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException)
            {
            }
        }

        var fixedCommit = await repository.FixedCommitAsync(task, cancellationToken).ConfigureAwait(false);
        var environment = await _prepare(repository.Root, fixedCommit, cancellationToken).ConfigureAwait(false);
        var discovered = BaselineGuard.PlanScript(environment);
        var artifact = await repository.ArtifactAsync(task, fixedCommit, discovered.TestScript, discovered.Metadata.Parser, null, cancellationToken).ConfigureAwait(false);
        var runner = new ArtifactTestRunner(_sandboxes, environment, artifact) { ScriptTimeout = _options.Grading.ScriptTimeout };
        var (baseline, _) = await runner.BaselineAsync(cancellationToken).ConfigureAwait(false);
        if (baseline.TimedOut)
        {
            throw new InvalidDataException($"the suite timed out on {task.Id}'s fixed tree (limit {_options.Grading.ScriptTimeout.TotalSeconds:0} s)");
        }

        var passing = baseline.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var absent = Targets(task).Where(t => !passing.Contains(t)).ToList();
        if (absent.Count > 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{absent.Count} of {task.Id}'s FAIL_TO_PASS and PASS_TO_PASS tests do not pass on its fixed tree here ({baseline.Evidence}): {string.Join(", ", absent.Take(5))}{(absent.Count > 5 ? $" and {absent.Count - 5} more" : "")}"));
        }

        return new EvalInstance(task, environment, artifact);
    }

    private static List<string> Targets(EvalTask task) => [.. task.FailToPass.Concat(task.PassToPass).Distinct(StringComparer.Ordinal)];

    private static TestOutcomes Split(IReadOnlyList<string> tests, HashSet<string> passed) =>
        new([.. tests.Where(passed.Contains)], [.. tests.Where(t => !passed.Contains(t))]);

    private EvalSample Sample(EvalTask task, int sample, int attempt, long started, PolicyOutput? output, EvalOutcome outcome, IReadOnlyList<string> reasons) => new()
    {
        InstanceId = task.Id,
        Sample = sample,
        Try = attempt,
        Outcome = outcome,
        Reasons = reasons,
        FailToPass = new([], task.FailToPass),
        PassToPass = new([], task.PassToPass),
        Trajectory = output?.TrajectoryPath,
        Exit = output?.Exit,
        Turns = output?.Turns ?? 0,
        Tokens = output?.Tokens ?? 0,
        DurationMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1),
    };

    /// <summary>Failures of the machinery, not of the patch: these make an error, never a score.</summary>
    private static bool IsInfrastructure(Exception ex) => ex is SandboxException or EnvironmentPreparationException or NoTestRunnerException or SuiteDidNotRunException
        or InvalidDataException or ArtifactApplyException or UnsafePathException or GitException or ProcessStartException or IOException or TimeoutException;

    private static string Kind(Exception ex) => ex switch
    {
        SandboxException => "sandbox",
        EnvironmentPreparationException or NoTestRunnerException or SuiteDidNotRunException => "setup",
        TimeoutException => "timeout",
        _ => "instance",
    };

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
