using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using Sparring.Agents.Tools;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>
/// The injector role (spec §1.1–1.2): the model explores a copy of the repository with its git history,
/// writes the five SSR files into <c>.sparring-artifact/</c> and submits; the artifact then goes through the
/// full <see cref="ArtifactValidator"/>, and only a valid one is written out.
/// </summary>
/// <remarks>Prompts: <c>injector-removal</c> or <c>injector-history</c> (<see cref="PromptTemplates"/>). An artifact
/// without <c>test_parser.py</c> uses the environment's built-in parser.</remarks>
public sealed class InjectorAgent : IInjector
{
    /// <summary>The rejection of an attempt whose artifact names a path outside the repository (<see cref="UnsafePathException"/>).</summary>
    public const string UnsafePathCheck = "unsafe-path";

    /// <summary>The strategies the agent has prompts for.</summary>
    public static IReadOnlyList<string> Strategies { get; } = ["removal", "history"];

    private readonly ISandboxProvider _sandboxes;
    private readonly IChatClient _client;
    private readonly AgentRoleOptions _options;
    private readonly TimeProvider _time;

    public InjectorAgent(ISandboxProvider sandboxes, IChatClient client, AgentRoleOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sandboxes = sandboxes;
        _client = client;
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
    }

    public ValidationOptions Validation { get; init; } = new();

    /// <summary>What the baseline must show before <see cref="RunAsync"/> starts any episode.</summary>
    public BaselineRequirements Baseline { get; init; } = new();

    /// <summary>Episodes per strategy when run as an <see cref="IInjector"/>.</summary>
    public int MaxAttemptsPerStrategy { get; init; } = 20;

    /// <summary>Progress lines when run as an <see cref="IInjector"/>.</summary>
    public Action<string>? OnProgress { get; init; }

    /// <summary>Episodes round robin over <see cref="Strategies"/> (see <see cref="RunAsync"/>).</summary>
    public Task<InjectionReport> InjectAsync(InjectionContext context, int count, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RunAsync(context.Environment, context.Repository, Strategies, count, MaxAttemptsPerStrategy, outputDirectory, OnProgress, cancellationToken);
    }

    /// <summary>Runs one injector episode with <paramref name="strategy"/>'s prompt; a valid artifact is saved to <paramref name="artifactDirectory"/>.</summary>
    public async Task<InjectAttempt> InjectAsync(
        PreparedEnvironment environment, GitRepository repository, string strategy, int attempt, string attemptDirectory, string artifactDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(repository);
        if (!Strategies.Contains(strategy))
        {
            throw new ArgumentException($"the injector agent has no prompt for strategy '{strategy}' (known: {string.Join(", ", Strategies)})", nameof(strategy));
        }

        Directory.CreateDirectory(attemptDirectory);
        var started = _time.GetTimestamp();
        var trajectoryPath = Path.Combine(attemptDirectory, "trajectory.json");
        var id = string.Create(CultureInfo.InvariantCulture, $"agent-{strategy}-{attempt}");
        AgentResult result;
        BugArtifact? artifact = null;
        string? problem = null;
        var unsafePath = false;
        await using (var workspace = await TestRunner.CreateWorkspaceAsync(environment, cancellationToken).ConfigureAwait(false))
        {
            await AddHistoryAsync(workspace, repository, environment.Snapshot.Commit, cancellationToken).ConfigureAwait(false);
            await using var sandbox = await new TestRunner(_sandboxes) { SandboxLimits = TestRunner.AgentSandboxLimits }.OpenSandboxAsync(environment, workspace, cancellationToken).ConfigureAwait(false);
            var context = new ToolContext(sandbox, _options.Tools, new SyntaxLinter(), _time);
            var loop = new AgentLoop(_client, InjectorTools.Create(_options.Tools), _options.Agent, _time) { OnStep = new TrajectoryJournal(trajectoryPath).AppendAsync };
            var trajectory = loop.NewTrajectory(id, "injector", _options.Model, environment.Snapshot.Commit);
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["workdir"] = sandbox.SandboxWorkspacePath,
                ["test_command"] = environment.Plan.Command.Command,
                ["parser"] = environment.Plan.Command.Parser,
                ["artifact_dir"] = SubmitArtifactTool.ArtifactDirectory,
                ["min_changed_files"] = Validation.MinChangedFiles.ToString(CultureInfo.InvariantCulture),
                ["script_seconds"] = "90",
            };
            var system = PromptTemplates.Render(PromptTemplates.AgentSystem, values, _options.PromptDirectory);
            var prompt = PromptTemplates.Render(strategy == "history" ? PromptTemplates.InjectorHistory : PromptTemplates.InjectorRemoval, values, _options.PromptDirectory);
            result = await loop.RunAsync(system, prompt, context, trajectory, cancellationToken).ConfigureAwait(false);
            if (result.Exit == AgentExit.Submitted)
            {
                (artifact, problem, unsafePath) = await LoadAsync(sandbox, environment, id, cancellationToken).ConfigureAwait(false);
            }
        }

        ValidationReport? report = null;
        string? written = null;
        if (artifact is not null)
        {
            try
            {
                report = await new ArtifactValidator(_sandboxes, Validation, _time).ValidateAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
            }
            catch (UnsafePathException ex)
            {
                // The model's artifact, so a rejected attempt, not a failed run.
                (artifact, problem, unsafePath) = (null, ex.Message, true);
            }

            if (report is { Valid: true })
            {
                written = artifactDirectory;
                await BugArtifactFiles.SaveAsync(artifact! with { Metadata = artifact.Metadata with { Validation = report } }, artifactDirectory, cancellationToken).ConfigureAwait(false);
            }
        }

        var failed = unsafePath ? UnsafePathCheck : result.Exit != AgentExit.Submitted ? "no-artifact" : artifact is null ? "no-artifact" : report!.FailedCheck;
        result.Trajectory.Outcome = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["valid"] = report?.Valid == true ? "true" : "false",
            ["failedCheck"] = failed ?? "",
            ["problem"] = problem ?? "",
            ["artifact"] = written is null ? "" : Path.GetFileName(written),
        };
        await TrajectoryFiles.SaveAsync(result.Trajectory, trajectoryPath, cancellationToken).ConfigureAwait(false);
        return new InjectAttempt
        {
            Attempt = attempt,
            Valid = report?.Valid == true,
            FailedCheck = failed,
            Exit = result.Exit,
            ExitDetail = problem ?? result.Trajectory.ExitDetail,
            Turns = result.Trajectory.Turns,
            Tokens = result.Trajectory.PromptTokens + result.Trajectory.CompletionTokens,
            TrajectoryPath = trajectoryPath,
            ArtifactPath = written,
            Validation = report,
            DurationMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1),
        };
    }

    /// <summary>
    /// Episodes round robin over <paramref name="strategies"/> until <paramref name="count"/> artifacts are valid or every
    /// strategy has had <paramref name="maxAttemptsPerStrategy"/> episodes. Valid artifacts go to
    /// <c>OUT/agent-&lt;strategy&gt;-&lt;n&gt;</c>, every episode's trajectory to <c>OUT/attempts/</c>.
    /// </summary>
    /// <exception cref="SuiteDidNotRunException">The baseline does not meet <see cref="Baseline"/>; no episode ran.</exception>
    public async Task<InjectionReport> RunAsync(
        PreparedEnvironment environment, GitRepository repository, IReadOnlyList<string> strategies, int count, int maxAttemptsPerStrategy, string outputDirectory,
        Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        var started = _time.GetTimestamp();
        // Episodes cost model calls: none starts on a suite that has nothing to break.
        await BaselineGuard.RequireAsync(_sandboxes, environment, Baseline, Validation.ScriptTimeout, cancellationToken).ConfigureAwait(false);
        var states = strategies.Select(s => (Name: s, Tried: 0, Valid: 0, Rejected: new Dictionary<string, int>(StringComparer.Ordinal), Elapsed: TimeSpan.Zero)).ToList();
        var written = new List<string>();
        while (written.Count < count && states.Any(s => s.Tried < maxAttemptsPerStrategy))
        {
            for (var i = 0; i < states.Count && written.Count < count; i++)
            {
                var state = states[i];
                if (state.Tried >= maxAttemptsPerStrategy)
                {
                    continue;
                }

                state.Tried++;
                var name = string.Create(CultureInfo.InvariantCulture, $"agent-{state.Name}-{state.Valid + 1}");
                var attemptDirectory = Path.Combine(outputDirectory, "attempts", string.Create(CultureInfo.InvariantCulture, $"{state.Name}-{state.Tried}"));
                var begun = _time.GetTimestamp();
                var attempt = await InjectAsync(environment, repository, state.Name, state.Tried, attemptDirectory, Path.Combine(outputDirectory, name), cancellationToken).ConfigureAwait(false);
                state.Elapsed += _time.GetElapsedTime(begun);
                if (attempt.Valid)
                {
                    state.Valid++;
                    written.Add(name);
                    progress?.Invoke($"{state.Name} #{state.Tried}: VALID, written to {attempt.ArtifactPath} ({attempt.Turns} turns)");
                }
                else
                {
                    var reason = attempt.FailedCheck ?? "invalid";
                    state.Rejected[reason] = state.Rejected.GetValueOrDefault(reason) + 1;
                    progress?.Invoke($"{state.Name} #{state.Tried}: rejected ({reason}; exit {attempt.Exit}{(attempt.ExitDetail is { } d ? ": " + d : "")})");
                }

                states[i] = state;
                if (AgentExit.ServerUnusable(attempt.Exit, attempt.ExitDetail))
                {
                    throw new Llm.ModelServerException(Llm.ModelErrorKind.Unreachable, $"the model server cannot be used: {attempt.ExitDetail}");
                }
            }
        }

        return new InjectionReport
        {
            Strategies = states.Select(s => new StrategyYield
            {
                Strategy = "agent-" + s.Name,
                Tried = s.Tried,
                Valid = s.Valid,
                Rejected = s.Rejected,
                Seconds = Math.Round(s.Elapsed.TotalSeconds, 1),
                SecondsPerValid = s.Valid == 0 ? null : Math.Round(s.Elapsed.TotalSeconds / s.Valid, 1),
            }).ToList(),
            Artifacts = written,
            ScriptSeconds = 0,
            BaselinePassing = 0,
            DurationSeconds = Math.Round(_time.GetElapsedTime(started).TotalSeconds, 1),
            CreatedAt = _time.GetUtcNow(),
        };
    }

    /// <summary>Gives the workspace the repository's history up to the commit, with the working tree as it is and a clean index.</summary>
    private static async Task AddHistoryAsync(Workspace workspace, GitRepository repository, string commit, CancellationToken cancellationToken)
    {
        var tree = workspace.TreePath;
        await Git.RunAsync(tree, ["init", "-q"], cancellationToken).ConfigureAwait(false);
        await Git.RunAsync(tree, ["fetch", "-q", "--no-tags", repository.Root, commit], cancellationToken).ConfigureAwait(false);
        await Git.RunAsync(tree, ["update-ref", "refs/heads/main", commit], cancellationToken).ConfigureAwait(false);
        await Git.RunAsync(tree, ["symbolic-ref", "HEAD", "refs/heads/main"], cancellationToken).ConfigureAwait(false);
        await Git.RunAsync(tree, ["read-tree", "HEAD"], cancellationToken).ConfigureAwait(false);
        var excluded = new[] { SubmitArtifactTool.ArtifactDirectory + "/" }.Concat(workspace.SharedDirectories.Select(d => "/" + d + "/"));
        await File.AppendAllTextAsync(Path.Combine(tree, ".git", "info", "exclude"), string.Join('\n', excluded) + "\n", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The submitted artifact, or why it cannot be used. Read through the sandbox, which refuses a file that is a
    /// symbolic link out of the workspace (the model can plant one); the model's own metadata.json is never read or written.
    /// </summary>
    private static async Task<(BugArtifact? Artifact, string? Problem, bool UnsafePath)> LoadAsync(ISandbox sandbox, PreparedEnvironment environment, string id, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { BugArtifactFiles.BugInject, BugArtifactFiles.TestWeaken, BugArtifactFiles.TestFilesList, BugArtifactFiles.TestScript, BugArtifactFiles.TestParser })
        {
            var relative = SubmitArtifactTool.ArtifactDirectory + "/" + name;
            try
            {
                files[name] = Encoding.UTF8.GetString(await sandbox.ReadFileAsync(relative, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Absent: a required file is named below.
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
            {
                return (null, $"{relative}: {ex.Message}", ex is ArgumentException);
            }
        }

        try
        {
            // Without test_parser.py the agent chose the environment's built-in parser.
            var metadata = new ArtifactMetadata
            {
                Id = id,
                Strategy = "agent",
                Order = 1,
                BaseCommit = environment.Snapshot.Commit,
                Parser = files.ContainsKey(BugArtifactFiles.TestParser) ? null : environment.Plan.Command.Parser,
            };
            return (BugArtifactFiles.FromFiles(files, SubmitArtifactTool.ArtifactDirectory, () => metadata), null, false);
        }
        catch (Exception ex) when (ex is InvalidDataException or UnsafePathException)
        {
            return (null, ex.Message, ex is UnsafePathException);
        }
    }
}
