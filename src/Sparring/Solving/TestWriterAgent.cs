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

    private readonly SolverAgent _agent;
    private readonly GeneratedTestJudge _judge;
    private readonly TimeProvider _time;

    public TestWriterAgent(ISandboxProvider sandboxes, IChatClient client, AgentRoleOptions options, GeneratedTestJudge judge, string? taskPrompt = null, TimeProvider? time = null)
    {
        _judge = judge ?? throw new ArgumentNullException(nameof(judge));
        _time = time ?? TimeProvider.System;
        _agent = new SolverAgent(sandboxes, client, options, _time) { Role = Role, TaskPrompt = taskPrompt };
    }

    /// <summary>
    /// Runs attempt <paramref name="attempt"/> and judges its test. The attempt is <see cref="SolveAttempt.Solved"/> when
    /// the test reproduces the bug (reward 1); its <see cref="SolveAttempt.PatchPath"/> is the generated test.
    /// </summary>
    public async Task<SolveAttempt> WriteAsync(PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var episode = await _agent.PrepareAsync(environment, artifact, attempt, attemptDirectory, cancellationToken).ConfigureAwait(false);
        await _agent.RunEpisodeAsync(episode, cancellationToken).ConfigureAwait(false);
        var result = episode.Result!;
        string? testPath = null;
        TestWriterReward.Result judged;
        if (result.Exit != AgentExit.Submitted || result.Submission is null)
        {
            judged = new TestWriterReward.Result(0, [], $"no submission: the episode ended with {result.Exit}");
        }
        else
        {
            var test = GeneratedTest.FromSubmission(result.Submission);
            testPath = Path.Combine(attemptDirectory, TestFile);
            await File.WriteAllTextAsync(testPath, test.Patch, cancellationToken).ConfigureAwait(false);
            judged = await _judge.JudgeAsync(environment, artifact, test, cancellationToken).ConfigureAwait(false);
        }

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
