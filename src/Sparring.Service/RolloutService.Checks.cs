using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Rewards;
using Sparring.Testing;
using Sparring.Training;

namespace Sparring.Service;

public sealed partial class RolloutService
{
    /// <summary>Everything a request needs, checked before it is queued, so a bad request fails at once with a message.</summary>
    private async Task<JobState> CheckAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Tasks is not { Count: > 0 })
        {
            throw new ArgumentException("the request has no tasks");
        }

        if (request.GroupSize < 1 || request.GroupSize > _options.MaxGroupSize)
        {
            throw new ArgumentException($"groupSize must be between 1 and {_options.MaxGroupSize}, got {request.GroupSize}");
        }

        if (request.Policy is null || !Uri.TryCreate(request.Policy.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"policy.url must be an absolute http(s) URL of an OpenAI-compatible API, e.g. http://host:8000/v1; got '{request.Policy?.Url}'");
        }

        if (string.IsNullOrWhiteSpace(request.Policy.Model))
        {
            throw new ArgumentException("policy.model must name the served model");
        }

        if (request.Policy.Version < 0)
        {
            throw new ArgumentException("policy.version must be at least 0");
        }

        _ = AdvantageEstimators.Get(request.Estimator);
        _ = new LossAggregation(request.LossAggMode);
        if (!SimilarityReward.Kinds.Contains(request.Reward))
        {
            throw new ArgumentException($"reward must be {string.Join(" or ", SimilarityReward.Kinds)}; got '{request.Reward}'");
        }

        var role = RoleOptions(request);
        var tasks = new List<CheckedTask>();
        foreach (var task in request.Tasks)
        {
            tasks.Add(await CheckTaskAsync(task, cancellationToken).ConfigureAwait(false));
        }

        if (tasks.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"two tasks have the id '{duplicate.Key}'; give them distinct ids");
        }

        var sequence = Interlocked.Increment(ref _sequence);
        return new JobState(NextId(), sequence, request, tasks, role, _time.GetUtcNow());
    }

    private async Task<CheckedTask> CheckTaskAsync(RolloutTask task, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(task.Repo) || string.IsNullOrWhiteSpace(task.Artifact))
        {
            throw new ArgumentException("every task needs repo and artifact (paths on the service's machine)");
        }

        var repository = await GitRepository.OpenAsync(task.Repo, cancellationToken).ConfigureAwait(false);
        BugArtifact artifact;
        try
        {
            artifact = await BugArtifactFiles.LoadAsync(task.Artifact, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or DirectoryNotFoundException or FileNotFoundException)
        {
            throw new ArgumentException($"task artifact '{task.Artifact}': {ex.Message}", ex);
        }

        string commit;
        try
        {
            commit = await repository.ResolveCommitAsync(task.Commit ?? artifact.Metadata.BaseCommit ?? "HEAD", cancellationToken).ConfigureAwait(false);
        }
        catch (GitException ex)
        {
            throw new ArgumentException($"task repo '{task.Repo}': no commit '{task.Commit ?? artifact.Metadata.BaseCommit}': {ex.Message}", ex);
        }

        // Every path the artifact names, against the repository at that commit (extracted once, as the job will need
        // it): a path outside the repository is refused here, as a bad request, before any episode starts.
        var snapshot = await new SnapshotStore(_options.CacheRoot).GetOrCreateAsync(repository, commit, cancellationToken).ConfigureAwait(false);
        await ArtifactPaths.CheckAsync(artifact, [snapshot.TreePath], cancellationToken).ConfigureAwait(false);
        ArtifactPaths.CheckTestFilesExist(artifact, snapshot.TreePath);

        // The repository's settings, read now so a bad sparring.toml is a bad request rather than a failed job.
        var (fileSettings, _) = await EnvironmentSettingsFile.ResolveAsync(repository.Root, _options.ConfigPath, cancellationToken).ConfigureAwait(false);
        var settings = _options.Settings.Over(fileSettings);
        _ = TestRunnerDetector.PlanOrNone(snapshot.TreePath, settings);

        var id = task.Id ?? artifact.Metadata.Id;
        if (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || id.StartsWith('.'))
        {
            throw new ArgumentException($"task id '{id}' must be letters, digits, '-', '_' or '.' (it names a folder)");
        }

        return new CheckedTask(id, repository.Root, commit, artifact, settings);
    }

    private static AgentRoleOptions RoleOptions(RolloutRequest request)
    {
        var settings = request.Agent ?? new RolloutAgentSettings();
        var defaults = new AgentOptions();
        return new AgentRoleOptions
        {
            Agent = new AgentOptions
            {
                ActionFormat = settings.ActionFormat switch
                {
                    "native" => ActionFormat.Native,
                    "text" => ActionFormat.Text,
                    var other => throw new ArgumentException($"agent.actionFormat must be native or text, got '{other}'"),
                },
                MaxTurns = settings.MaxTurns ?? defaults.MaxTurns,
                MaxTokens = settings.MaxTokens ?? defaults.MaxTokens,
                WallClock = settings.WallClockSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.WallClock,
                Temperature = settings.Temperature ?? defaults.Temperature,
                TopP = settings.TopP ?? defaults.TopP,
                MaxOutputTokens = settings.MaxOutputTokens ?? defaults.MaxOutputTokens,
            },
            ToolSet = settings.ToolSet,
            Model = request.Policy.Model,
        }.Validate();
    }

    /// <summary>A task whose repository, commit, artifact and environment settings were found.</summary>
    private sealed record CheckedTask(string Id, string Repository, string Commit, BugArtifact Artifact, EnvironmentSettings Settings);

    /// <summary>A job's mutable state; <see cref="Snapshot"/> is what callers see.</summary>
    private sealed class JobState(string id, int sequence, RolloutRequest request, IReadOnlyList<CheckedTask> tasks, AgentRoleOptions role, DateTimeOffset submittedAt)
    {
        public int AttemptsDone;

        public string Id { get; } = id;

        public int Sequence { get; } = sequence;

        public RolloutRequest Request { get; } = request;

        public IReadOnlyList<CheckedTask> Tasks { get; } = tasks;

        public AgentRoleOptions Role { get; } = role;

        public CancellationTokenSource Cancellation { get; } = new();

        public Task? Runner { get; set; }

        public volatile string Status = "queued";

        public string? Error { get; set; }

        public Testing.RunDiagnosis? Diagnosis { get; set; }

        public IReadOnlyList<RolloutGroupResult>? Groups { get; set; }

        public DateTimeOffset? FinishedAt { get; set; }

        public RolloutJob Snapshot() => new()
        {
            Id = Id,
            Status = Status,
            PolicyVersion = Request.Policy.Version,
            AttemptsDone = Volatile.Read(ref AttemptsDone),
            AttemptsTotal = Tasks.Count * Request.GroupSize,
            SubmittedAt = submittedAt,
            FinishedAt = FinishedAt,
            Error = Error,
            Diagnosis = Diagnosis,
            Groups = Groups,
        };
    }
}
