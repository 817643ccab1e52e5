using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Agents.Tools;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.SelfPlay.Agents;

/// <summary>
/// The solver role (spec §1.4): builds the solver task (bug and weakening applied, history removed), lets the
/// model work on it in a sandbox set up like the test runs, and grades what it submits with <see cref="Grader"/>.
/// </summary>
/// <remarks>An episode that ends without a submission is unsolved and not graded. Writes
/// <c>trajectory.json</c> (after every step) and <c>pred_patch.diff</c> into the attempt's folder.</remarks>
public sealed class SolverAgent
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

    /// <summary>Runs attempt number <paramref name="attempt"/> on <paramref name="artifact"/>, writing into <paramref name="attemptDirectory"/>.</summary>
    public async Task<SolveAttempt> SolveAsync(PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(artifact);
        Directory.CreateDirectory(attemptDirectory);
        var started = _time.GetTimestamp();
        var trajectoryPath = Path.Combine(attemptDirectory, "trajectory.json");
        AgentResult result;
        await using (var task = await SolverTaskBuilder.BuildAsync(environment, artifact, cancellationToken).ConfigureAwait(false))
        {
            await using var sandbox = await new TestRunner(_sandboxes).OpenSandboxAsync(environment, task.Workspace, cancellationToken).ConfigureAwait(false);
            var context = new ToolContext(sandbox, _options.Tools, new SyntaxLinter(), _time) { StartCommit = task.Commit };
            var tools = _options.ToolSet == "cwm" ? ToolSets.Cwm(_options.Tools) : ToolSets.Solver(_options.Tools);
            var loop = new AgentLoop(_client, tools, _options.Agent, _time) { OnStep = (t, ct) => TrajectoryFiles.SaveAsync(t, trajectoryPath, ct) };
            var trajectory = loop.NewTrajectory(
                string.Create(CultureInfo.InvariantCulture, $"{artifact.Metadata.Id}-attempt-{attempt}"), "solver", _options.Model, artifact.Metadata.Id);
            var system = PromptTemplates.Render(PromptTemplates.AgentSystem, new Dictionary<string, string> { ["workdir"] = sandbox.SandboxWorkspacePath }, _options.PromptDirectory);
            var prompt = _options.PromptDirectory is null
                ? task.Prompt
                : PromptTemplates.Render(PromptTemplates.Solver, new Dictionary<string, string> { ["workdir"] = sandbox.SandboxWorkspacePath, ["restored_tests"] = task.RestoredTestsDiff.TrimEnd('\n') }, _options.PromptDirectory);
            result = await loop.RunAsync(system, prompt, context, trajectory, cancellationToken).ConfigureAwait(false);
        }

        string? patchPath = null;
        var solved = false;
        IReadOnlyList<string> reasons = [$"no submission: the episode ended with {result.Exit}"];
        if (result.Exit == AgentExit.Submitted && result.Submission is { } patch)
        {
            patchPath = Path.Combine(attemptDirectory, BugArtifactFiles.PredPatch);
            await File.WriteAllTextAsync(patchPath, patch, cancellationToken).ConfigureAwait(false);
            var grade = await new Grader(_sandboxes, Grading, _time).GradeAsync(environment, artifact, patch, cancellationToken).ConfigureAwait(false);
            solved = grade.Solved;
            reasons = grade.Reasons;
        }

        result.Trajectory.Outcome = new Dictionary<string, string>(StringComparer.Ordinal) { ["solved"] = solved ? "true" : "false" };
        await TrajectoryFiles.SaveAsync(result.Trajectory, trajectoryPath, cancellationToken).ConfigureAwait(false);
        return new SolveAttempt
        {
            Attempt = attempt,
            Solved = solved,
            Exit = result.Exit,
            ExitDetail = result.Trajectory.ExitDetail,
            Turns = result.Trajectory.Turns,
            Tokens = result.Trajectory.PromptTokens + result.Trajectory.CompletionTokens,
            TrajectoryPath = trajectoryPath,
            PatchPath = patchPath,
            Reasons = reasons,
            DurationMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1),
        };
    }
}
