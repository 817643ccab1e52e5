using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Runs;
using Sparring.Store;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;
using static Sparring.Tests.Agents.ScriptedActions;

namespace Sparring.Tests.Training;

/// <summary>
/// One real self-play run for the export tests: the procedural injector on the Python sample, then two solver
/// attempts by the LLM agent against the scripted server: one repairs the bug (after a malformed first action), the
/// other submits an edit that fixes nothing. Policy version 5.
/// </summary>
public sealed class LlmRunFixture : IAsyncLifetime
{
    public const int PolicyVersion = 5;

    private readonly TempDirectory _run = new();

    public string RunDirectory => _run.Path;

    public RunSummary Summary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        await using var server = await ScriptedModelServer.StartAsync();
        server.EnqueueConversation(Unknown(ActionFormat.Native), ScriptedReply.Lazy(() => Bash(ActionFormat.Native, RepairOfTheRunsBug())), Submit(ActionFormat.Native));
        server.EnqueueConversation(Bash(ActionFormat.Native, "echo '# looked at it' >> README.md"), Submit(ActionFormat.Native));
        using var client = Client(server);
        var options = new SelfPlayOptions
        {
            Rounds = 1,
            BugsPerRound = 1,
            Attempts = 2,
            Seed = 3,
            MaxCandidatesPerStrategy = 4,
            Solver = "llm",
            PolicyVersion = PolicyVersion,
            Agents = new AgentRoleOptions { Model = server.Model },
        };
        await using var store = await SqliteRunStore.OpenAsync(RunDirectory);
        Summary = await new SelfPlayRunner(SampleEnvironments.Sandboxes, options, client).RunAsync(environment, repository, store);
    }

    public Task DisposeAsync()
    {
        _run.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The shell line a model that found the fix would run: the reverse of the one bug injected in round 1.</summary>
    private string RepairOfTheRunsBug()
    {
        var bug = Directory.GetDirectories(Path.Combine(RunDirectory, "rounds", "1", "bugs")).Single(d => Path.GetFileName(d) != "attempts");
        var diff = File.ReadAllText(Path.Combine(bug, BugArtifactFiles.BugInject));
        return $"git apply -R <<'SPARRING_EOF'\n{diff}SPARRING_EOF\n";
    }
}

/// <summary>The export tests share one run (a class fixture would run it once per class).</summary>
[CollectionDefinition(Name)]
public sealed class LlmRunGroup : ICollectionFixture<LlmRunFixture>
{
    public const string Name = "llm self-play run";
}
