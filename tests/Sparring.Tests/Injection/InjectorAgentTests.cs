using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Tests.Agents;
using Sparring.Tests.SampleRepos;
using static Sparring.Tests.Agents.ScriptedActions;

namespace Sparring.Tests.Injection;

public sealed class InjectorAgentTests
{
    /// <summary>Shell lines that write an artifact's files as an injector model would, with heredocs.</summary>
    private static string WriteArtifact(BugArtifact artifact, bool withBugInject = true)
    {
        var lines = new List<string> { "mkdir -p .sparring-artifact && cd .sparring-artifact" };
        void File(string name, string content) => lines.Add($"cat > {name} <<'SPARRING_EOF'\n{content.TrimEnd('\n')}\nSPARRING_EOF");
        if (withBugInject)
        {
            File(BugArtifactFiles.BugInject, artifact.BugInjectDiff);
        }

        File(BugArtifactFiles.TestWeaken, artifact.TestWeakenDiff);
        File(BugArtifactFiles.TestFilesList, string.Join('\n', artifact.TestFiles));
        File(BugArtifactFiles.TestScript, artifact.TestScript);
        lines.Add("ls");
        return string.Join('\n', lines);
    }

    [Theory]
    [MemberData(nameof(ScriptedActions.Formats), MemberType = typeof(ScriptedActions))]
    public async Task InjectAsync_ValidArtifactSubmitted_PassesValidationAndIsWritten(ActionFormat format)
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(format, "git log --oneline | head -3 && git status --short"), Bash(format, WriteArtifact(artifact)), Submit(format));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new InjectorAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions { Agent = new AgentOptions { ActionFormat = format } });

        // Act
        var attempt = await agent.InjectAsync(environment, repository, "history", 1, Path.Combine(output.Path, "attempt"), Path.Combine(output.Path, "agent-history-1"));

        // Assert
        Assert.True(attempt.Valid, attempt.FailedCheck + " " + attempt.ExitDetail);
        Assert.Equal(AgentExit.Submitted, attempt.Exit);
        var written = await BugArtifactFiles.LoadAsync(attempt.ArtifactPath!);
        Assert.Equal(artifact.BugInjectDiff.TrimEnd('\n'), written.BugInjectDiff.TrimEnd('\n'));
        Assert.Equal("agent", written.Metadata.Strategy);
        Assert.Equal(environment.Plan.Command.Parser, written.Metadata.Parser);
        Assert.True(written.Metadata.Validation!.Valid);
        var trajectory = await TrajectoryFiles.LoadAsync(attempt.TrajectoryPath!);
        Assert.Equal("injector", trajectory.Role);
        Assert.Equal("true", trajectory.Outcome!["valid"]);

        // The injector saw the history and a clean status: the artifact folder is ignored by git.
        var log = trajectory.Messages.First(m => m.ToolName == "bash").Content;
        var head = TempGitRepo.RunGit(repository.Root, ["log", "-1", "--format=%s", environment.Snapshot.Commit]).Trim();
        Assert.Contains(head, log, StringComparison.Ordinal);
        Assert.DoesNotContain("fatal", log, StringComparison.Ordinal);
        Assert.DoesNotContain("?? ", log, StringComparison.Ordinal);
        var prompt = server.Requests[0].RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!;
        Assert.Contains("history rollback", prompt, StringComparison.Ordinal);
        Assert.Contains(environment.Plan.Command.Command, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InjectAsync_ArtifactMissingAFile_IsRejectedAsNoArtifactAndNothingIsWritten()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Native, WriteArtifact(artifact, withBugInject: false)), Submit(ActionFormat.Native));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new InjectorAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions { Agent = new AgentOptions { MaxTurns = 2 } });

        // Act
        var attempt = await agent.InjectAsync(environment, repository, "removal", 1, Path.Combine(output.Path, "attempt"), Path.Combine(output.Path, "agent-removal-1"));

        // Assert: submit refused and told the model which file is missing; the episode then ran out of turns.
        Assert.False(attempt.Valid);
        Assert.Equal(AgentExit.TurnLimit, attempt.Exit);
        Assert.Equal("no-artifact", attempt.FailedCheck);
        Assert.False(Directory.Exists(Path.Combine(output.Path, "agent-removal-1")));
        var trajectory = await TrajectoryFiles.LoadAsync(attempt.TrajectoryPath!);
        Assert.Contains(trajectory.Messages, m => m.ToolName == "submit" && m.IsError == true && m.Content.Contains(BugArtifactFiles.BugInject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task InjectAsync_ArtifactWhoseBugBreaksNothing_FailsValidationWithTheCheckNamed()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        var artifact = SampleArtifacts.For(Samples.Python);
        var harmless = artifact with { BugInjectDiff = "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n" + " " + File.ReadLines(Path.Combine(Samples.Path(Samples.Python), "README.md")).First() + "\n+extra line\n" };
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Native, WriteArtifact(harmless)), Submit(ActionFormat.Native));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new InjectorAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions());

        // Act
        var attempt = await agent.InjectAsync(environment, repository, "removal", 1, Path.Combine(output.Path, "attempt"), Path.Combine(output.Path, "agent-removal-1"));

        // Assert
        Assert.False(attempt.Valid);
        Assert.NotNull(attempt.Validation);
        Assert.Equal(attempt.Validation!.FailedCheck, attempt.FailedCheck);
        Assert.NotEqual("no-artifact", attempt.FailedCheck);
        Assert.Null(attempt.ArtifactPath);
    }

    [Fact]
    public async Task InjectAsync_ArtifactReachingOutOfTheWorkspace_RejectedAsUnsafePathAndTheHostFileSurvives()
    {
        // Arrange: test_files.txt names a path outside the repository, and metadata.json is a link to a host file,
        // which loading the submission used to write through.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var valid = SampleArtifacts.For(Samples.Python);
        var artifact = valid with { TestFiles = [.. valid.TestFiles, "../../outside.py"] };
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(Bash(ActionFormat.Native, WriteArtifact(artifact) + $"\nln -s '{sentinel.Path}' {BugArtifactFiles.Metadata}"), Submit(ActionFormat.Native));
        using var client = Client(server);
        using var output = new TempDirectory();
        var agent = new InjectorAgent(SampleEnvironments.Sandboxes, client, new AgentRoleOptions());

        // Act
        var attempt = await agent.InjectAsync(environment, repository, "removal", 1, Path.Combine(output.Path, "attempt"), Path.Combine(output.Path, "agent-removal-1"));

        // Assert
        Assert.False(attempt.Valid);
        Assert.Equal(AgentExit.Submitted, attempt.Exit);
        Assert.Equal(InjectorAgent.UnsafePathCheck, attempt.FailedCheck);
        Assert.Contains("'../../outside.py'", attempt.ExitDetail, StringComparison.Ordinal);
        Assert.Null(attempt.Validation);
        Assert.False(Directory.Exists(Path.Combine(output.Path, "agent-removal-1")));
        Assert.True(sentinel.Untouched);
    }
}
