using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Rewards;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// The test-writer role (Kimi-Dev, SWE-Swiss, InfCode): an agent on the solver's task, told to write a test that
/// reproduces the bug instead of fixing it. What it submits is cut to its test files (<see cref="GeneratedTest"/>) and
/// judged by <see cref="TestWriterReward"/>: +1 iff the test fails on the broken tree and passes on the fixed one.
/// </summary>
/// <remarks>
/// Writes <c>trajectory.json</c> and <c>generated_test.diff</c> into the attempt's folder. Costs three runs of the suite
/// per attempt: the broken tree without the test (once per writer and artifact), with it, and the fixed tree with it.
/// </remarks>
public sealed class TestWriterAgent
{
    /// <summary>The role's name, in trajectories, options and records.</summary>
    public const string Role = "test-writer";

    /// <summary>The generated test in an attempt's folder.</summary>
    public const string TestFile = "generated_test.diff";

    private readonly ISandboxProvider _sandboxes;
    private readonly IChatClient _client;
    private readonly AgentRoleOptions _options;
    private readonly string? _taskPrompt;
    private readonly TimeProvider _time;

    /// <param name="sandboxes">Where the episode runs.</param>
    /// <param name="client">The model.</param>
    /// <param name="options">The agent's options (the solver's).</param>
    /// <param name="taskPrompt">The task as the writer is told it (an issue's text); null: <see cref="TaskFor"/> the artifact.</param>
    /// <param name="time">The clock (tests).</param>
    public TestWriterAgent(ISandboxProvider sandboxes, IChatClient client, AgentRoleOptions options, string? taskPrompt = null, TimeProvider? time = null)
    {
        _sandboxes = sandboxes;
        _client = client;
        _options = options;
        _taskPrompt = taskPrompt;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// The writer's task for a bug with no issue text: the names of the tests the bug makes fail (from the artifact's
    /// validation report), never their code. The solver's prompt shows the restored tests, which a writer would copy.
    /// </summary>
    public static string TaskFor(BugArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var failing = artifact.Metadata.Validation?.FailToPass ?? [];
        return failing.Count == 0
            ? "There is no issue report, and no failing test to go by: find the bug by reading the source code."
            : "There is no issue report. The bug makes these tests of the repository fail; their code is hidden from you:\n"
                + string.Concat(failing.Take(20).Select(t => $"- {t}\n")) + (failing.Count > 20 ? $"- and {failing.Count - 20} more\n" : "");
    }

    /// <summary>
    /// Runs attempt <paramref name="attempt"/> and returns its test (null when the episode submitted nothing) with the
    /// episode, without judging it: at test time nothing may look at the fixed tree. Writes <c>generated_test.diff</c>.
    /// </summary>
    public async Task<(GeneratedTest? Test, SolverEpisode Episode)> GenerateAsync(
        PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var agent = new SolverAgent(_sandboxes, _client, _options, _time) { Role = Role, TaskPrompt = _taskPrompt ?? TaskFor(artifact) };
        var episode = await agent.PrepareAsync(environment, artifact, attempt, attemptDirectory, cancellationToken).ConfigureAwait(false);
        await agent.RunEpisodeAsync(episode, cancellationToken).ConfigureAwait(false);
        var result = episode.Result!;
        if (result.Exit != AgentExit.Submitted || result.Submission is null)
        {
            await TrajectoryFiles.SaveAsync(result.Trajectory, episode.TrajectoryPath, cancellationToken).ConfigureAwait(false);
            return (null, episode);
        }

        var test = GeneratedTest.FromSubmission(result.Submission);
        await File.WriteAllTextAsync(Path.Combine(attemptDirectory, TestFile), test.Patch, cancellationToken).ConfigureAwait(false);
        await TrajectoryFiles.SaveAsync(result.Trajectory, episode.TrajectoryPath, cancellationToken).ConfigureAwait(false);
        return (test, episode);
    }

    /// <summary>
    /// Runs attempt <paramref name="attempt"/> and judges its test with <paramref name="judge"/>. The attempt is
    /// <see cref="SolveAttempt.Solved"/> when the test reproduces the bug (reward 1); its <see cref="SolveAttempt.PatchPath"/>
    /// is the generated test.
    /// </summary>
    public async Task<SolveAttempt> WriteAsync(
        PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, GeneratedTestJudge judge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var (test, episode) = await GenerateAsync(environment, artifact, attempt, attemptDirectory, cancellationToken).ConfigureAwait(false);
        var result = episode.Result!;
        var testPath = test is null ? null : Path.Combine(attemptDirectory, TestFile);
        var judged = test is null
            ? new TestWriterReward.Result(0, [], $"no submission: the episode ended with {result.Exit}")
            : await judge.JudgeAsync(environment, artifact, test, cancellationToken).ConfigureAwait(false);
        result.Trajectory.Outcome = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reproduces"] = judged.Reward == 1 ? "true" : "false",
            ["reward"] = judged.Reward.ToString(CultureInfo.InvariantCulture),
        };
        await TrajectoryFiles.SaveAsync(result.Trajectory, episode.TrajectoryPath, cancellationToken).ConfigureAwait(false);
        return new SolveAttempt
        {
            Attempt = attempt,
            Solved = judged.Reward == 1,
            Exit = result.Exit,
            ExitDetail = result.Trajectory.ExitDetail,
            Turns = result.Trajectory.Turns,
            Tokens = result.Trajectory.PromptTokens + result.Trajectory.CompletionTokens,
            TrajectoryPath = episode.TrajectoryPath,
            PatchPath = testPath,
            Reward = judged.Reward,
            Reasons = [judged.Reason],
            DurationMs = Math.Round(_time.GetElapsedTime(episode.Started).TotalMilliseconds, 1),
        };
    }
}
