using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents.Tools;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// The solver role (spec §1.4): builds the solver task (bug and weakening applied, history removed), lets the
/// model work on it in a sandbox set up like the test runs, and grades what it submits with <see cref="Grader"/>.
/// </summary>
/// <remarks>An episode that ends without a submission is unsolved and not graded. Writes
/// <c>trajectory.json</c> (after every step) and <c>pred_patch.diff</c> into the attempt's folder.</remarks>
public sealed class SolverAgent : ISolver
{
    private readonly ISandboxProvider _sandboxes;
    private readonly IChatClient _client;
    private readonly AgentRoleOptions _options;
    private readonly TimeProvider _time;

    public SolverAgent(ISandboxProvider sandboxes, IChatClient client, AgentRoleOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sandboxes = sandboxes;
        _client = client;
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
    }

    public GradeOptions Grading { get; init; } = new();

    /// <summary>The task's own prompt (an imported instance's problem statement) instead of the one rendered from the restored tests.</summary>
    public string? TaskPrompt { get; init; }

    /// <summary>
    /// <c>solver</c> (the default), or <c>test-writer</c>: the same task and tools, the <c>test-writer</c> prompt around
    /// the task, and the trajectory's role (<see cref="TestWriterAgent"/> judges what it submits).
    /// </summary>
    public string Role { get; init; } = "solver";

    /// <summary>Runs attempt number <paramref name="attempt"/> on <paramref name="artifact"/>, writing into <paramref name="attemptDirectory"/>.</summary>
    public async Task<SolveAttempt> SolveAsync(PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        var episode = await PrepareAsync(environment, artifact, attempt, attemptDirectory, cancellationToken).ConfigureAwait(false);
        await RunEpisodeAsync(episode, cancellationToken).ConfigureAwait(false);
        return await GradeAsync(episode, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stage 1: the solver task's workspace and its sandbox (the caller runs and grades it, or disposes it).</summary>
    public async Task<SolverEpisode> PrepareAsync(PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);
        Directory.CreateDirectory(attemptDirectory);
        var started = _time.GetTimestamp();
        var task = await SolverTaskBuilder.BuildAsync(environment, artifact, cancellationToken).ConfigureAwait(false);
        try
        {
            var sandbox = await new TestRunner(_sandboxes) { SandboxLimits = TestRunner.AgentSandboxLimits }.OpenSandboxAsync(environment, task.Workspace, cancellationToken).ConfigureAwait(false);
            return new SolverEpisode(environment, artifact, attempt, attemptDirectory, task, sandbox, started);
        }
        catch
        {
            await task.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stage 2: the agent loop (model calls and tools); frees the workspace when it ends.</summary>
    public async Task RunEpisodeAsync(SolverEpisode episode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var trajectoryPath = episode.TrajectoryPath;
        try
        {
            var sandbox = episode.Sandbox;
            var task = episode.Task;
            var context = new ToolContext(sandbox, _options.Tools, new SyntaxLinter(), _time) { StartCommit = task.Commit };
            var tools = _options.ToolSet == "cwm" ? ToolSets.Cwm(_options.Tools) : ToolSets.Solver(_options.Tools);
            var agent = _options.Agent.Hints && _options.Agent.TestCommand is null ? _options.Agent with { TestCommand = episode.Environment.Plan.Command.Command } : _options.Agent;
            var loop = new AgentLoop(_client, tools, agent, _time) { OnStep = new TrajectoryJournal(trajectoryPath).AppendAsync };
            var trajectory = loop.NewTrajectory(
                string.Create(CultureInfo.InvariantCulture, $"{episode.Artifact.Metadata.Id}-{(Role == "solver" ? "attempt" : Role)}-{episode.Attempt}"), Role, _options.Model, episode.Artifact.Metadata.Id);
            var system = PromptTemplates.Render(PromptTemplates.AgentSystem, new Dictionary<string, string> { ["workdir"] = sandbox.SandboxWorkspacePath }, _options.PromptDirectory);
            var prompt = TaskPrompt is not null ? TaskPrompt
                : _options.PromptDirectory is null
                ? task.Prompt
                : PromptTemplates.Render(PromptTemplates.Solver, new Dictionary<string, string> { ["workdir"] = sandbox.SandboxWorkspacePath, ["restored_tests"] = task.RestoredTestsDiff.TrimEnd('\n') }, _options.PromptDirectory);
            if (Role == TestWriterAgent.Role)
            {
                prompt = PromptTemplates.Render(PromptTemplates.TestWriter, new Dictionary<string, string> { ["workdir"] = sandbox.SandboxWorkspacePath, ["task"] = prompt.TrimEnd('\n') }, _options.PromptDirectory);
            }

            episode.Result = await loop.RunAsync(system, prompt, context, trajectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await episode.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stage 3: grades the submission (none: unsolved) and finishes the trajectory.</summary>
    public async Task<SolveAttempt> GradeAsync(SolverEpisode episode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        var result = episode.Result ?? throw new InvalidOperationException("the episode has not run");
        var trajectoryPath = episode.TrajectoryPath;
        string? patchPath = null;
        var outcome = GradeOutcome.Unsolved;
        IReadOnlyList<string> reasons = [$"no submission: the episode ended with {result.Exit}"];
        if (result.Exit == AgentExit.Submitted && result.Submission is { } patch)
        {
            patchPath = Path.Combine(episode.Directory, BugArtifactFiles.PredPatch);
            await File.WriteAllTextAsync(patchPath, patch, cancellationToken).ConfigureAwait(false);
            var grade = await new Grader(_sandboxes, Grading, _time).GradeAsync(episode.Environment, episode.Artifact, patch, cancellationToken).ConfigureAwait(false);
            outcome = grade.Outcome;
            reasons = grade.Reasons;
        }

        var solved = outcome == GradeOutcome.Solved;
        result.Trajectory.Outcome = new Dictionary<string, string>(StringComparer.Ordinal) { ["solved"] = solved ? "true" : "false", ["outcome"] = outcome.Value };
        await TrajectoryFiles.SaveAsync(result.Trajectory, trajectoryPath, cancellationToken).ConfigureAwait(false);
        return new SolveAttempt
        {
            Attempt = episode.Attempt,
            Solved = solved,
            Tampered = outcome == GradeOutcome.Tampered,
            Exit = result.Exit,
            ExitDetail = result.Trajectory.ExitDetail,
            Turns = result.Trajectory.Turns,
            Tokens = result.Trajectory.PromptTokens + result.Trajectory.CompletionTokens,
            TrajectoryPath = trajectoryPath,
            PatchPath = patchPath,
            Reasons = reasons,
            DurationMs = Math.Round(_time.GetElapsedTime(episode.Started).TotalMilliseconds, 1),
        };
    }
}
