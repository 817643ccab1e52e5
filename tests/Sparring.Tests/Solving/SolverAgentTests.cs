using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Tests.Agents;
using Sparring.Tests.SampleRepos;
using static Sparring.Tests.Agents.ScriptedActions;

namespace Sparring.Tests.Solving;

public sealed class SolverAgentTests
{
    /// <summary>A shell line that undoes the bug, as a model that found the fix would.</summary>
    private static string Repair(BugArtifact artifact) => $"git apply -R <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF\ngit diff --stat";

    [Theory]
    [MemberData(nameof(ScriptedActions.Formats), MemberType = typeof(ScriptedActions))]
    public async Task SolveAsync_CorrectRepairSubmitted_IsGradedSolvedWithTokenDataOnEveryTurn(ActionFormat format)
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "python3 -m pytest -q 2>&1 | tail -3"), Bash(format, Repair(artifact)), Submit(format));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new SolverAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions { Agent = new AgentOptions { ActionFormat = format }, Model = server.Model });

        // Act
        var attempt = await agent.SolveAsync(environment, artifact, 1, output.Path);

        // Assert
        Assert.True(attempt.Solved, string.Join("; ", attempt.Reasons));
        Assert.Equal(AgentExit.Submitted, attempt.Exit);
        Assert.Equal(3, attempt.Turns);
        Assert.True(attempt.Tokens > 0);
        Assert.True(File.Exists(attempt.PatchPath));
        var trajectory = await TrajectoryFiles.LoadAsync(attempt.TrajectoryPath!);
        Assert.Equal("solver", trajectory.Role);
        Assert.Equal("true", trajectory.Outcome!["solved"]);
        Assert.All(trajectory.Messages.Where(m => m.Role == "assistant"), m =>
        {
            Assert.NotEmpty(m.Turn!.CompletionTokenIds!);
            Assert.Equal(m.Turn.CompletionTokenIds!.Count, m.Turn.Logprobs!.Count);
        });

        // The prompt is the SSR one: the reversed weakening, no issue text; no git history to peek at.
        var prompt = server.Requests[0].RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!;
        Assert.Contains("restores tests that were removed", prompt, StringComparison.Ordinal);
        Assert.Contains("```diff", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SolveAsync_HintsWithoutATestCommand_TheEnvironmentsCommandIsTheOneHinted()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Native, "true"), Submit(ActionFormat.Native));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new SolverAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions { Agent = new AgentOptions { Hints = true }, Model = server.Model });

        // Act
        var attempt = await agent.SolveAsync(environment, artifact, 1, output.Path);

        // Assert
        var trajectory = await TrajectoryFiles.LoadAsync(attempt.TrajectoryPath!);
        var observation = Assert.Single(trajectory.Messages, m => m.ToolName == "bash");
        Assert.EndsWith($"; run the tests with: {environment.Plan.Command.Command}]", observation.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SolveAsync_WrongRepairSubmitted_IsGradedNotSolved()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Native, "echo '# looked at it' >> README.md"), Submit(ActionFormat.Native));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new SolverAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions());

        // Act
        var attempt = await agent.SolveAsync(environment, artifact, 2, output.Path);

        // Assert
        Assert.False(attempt.Solved);
        Assert.Equal(AgentExit.Submitted, attempt.Exit);
        Assert.NotEmpty(attempt.Reasons);
        Assert.Equal("false", (await TrajectoryFiles.LoadAsync(attempt.TrajectoryPath!)).Outcome!["solved"]);
    }

    [Fact]
    public async Task SolveAsync_NoSubmission_IsUnsolvedWithTheExitAsReason()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Text, Repair(artifact)));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new SolverAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions { Agent = new AgentOptions { ActionFormat = ActionFormat.Text, MaxTurns = 1 } });

        // Act
        var attempt = await agent.SolveAsync(environment, artifact, 1, output.Path);

        // Assert
        Assert.False(attempt.Solved);
        Assert.Equal(AgentExit.TurnLimit, attempt.Exit);
        Assert.Null(attempt.PatchPath);
        Assert.Contains("turn-limit", attempt.Reasons[0], StringComparison.Ordinal);
    }
}
