using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Sandboxes;
using Sparring.Solving;

namespace Sparring.Evaluation;

/// <summary>
/// The test writer as an evaluation policy (<c>eval --role test-writer</c>): for each sample an agent writes a test that
/// should reproduce the instance's bug, told the instance's problem statement; the evaluation judges it fail→pass
/// (<see cref="GeneratedTestJudge"/>) instead of grading a fix. Its "patch" is the generated test.
/// </summary>
public sealed class TestWriterPolicy(ISandboxProvider sandboxes, IChatClient client, AgentRoleOptions options) : IEvalPolicy
{
    public string Name => (options.Model ?? "unknown") + "." + TestWriterAgent.Role;

    public async Task<PolicyOutput> RunAsync(EvalInstance instance, int sample, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var writer = new TestWriterAgent(sandboxes, client, options, instance.Task.ProblemStatement.Length > 0 ? instance.Task.ProblemStatement : null);
        var (test, episode) = await writer.GenerateAsync(instance.Environment, instance.Artifact, sample, directory, cancellationToken).ConfigureAwait(false);
        var result = episode.Result!;
        return new PolicyOutput
        {
            // The whole submission: the evaluation cuts it to its test files itself and says what it dropped.
            Patch = test is null ? null : result.Submission,
            Exit = result.Exit.Value,
            ExitDetail = result.Trajectory.ExitDetail,
            Turns = result.Trajectory.Turns,
            Tokens = result.Trajectory.PromptTokens + result.Trajectory.CompletionTokens,
            TrajectoryPath = episode.TrajectoryPath,
        };
    }
}
