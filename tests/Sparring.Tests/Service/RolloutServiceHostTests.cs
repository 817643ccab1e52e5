using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Rewards;
using Sparring.Service;
using Sparring.TestUtilities;
using Sparring.Tests.Training;
using Sparring.Tests.SampleRepos;
using static Sparring.Tests.Agents.ScriptedActions;

namespace Sparring.Tests.Service;

public sealed class RolloutServiceHostTests
{
    private static string Request(string repo, string artifact, string task, string modelUrl, int version) => JsonSerializer.Serialize(new
    {
        tasks = new[] { new { id = task, repo, artifact } },
        policy = new { url = modelUrl, model = "scripted-model", version },
        groupSize = 2,
    });

    [Fact]
    public async Task Rollouts_TwoConcurrentRequests_BothFinishWithGradedGroupsRewardsAndAdvantages()
    {
        // Arrange: two repairing and two useless episodes, routed per conversation whatever the interleaving.
        var artifact = SampleArtifacts.For(Samples.Python);
        var repair = $"git apply -R <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF\n";
        await using var model = await ScriptedModelServer.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            model.EnqueueConversation(Bash(ActionFormat.Native, repair), Submit(ActionFormat.Native));
            model.EnqueueConversation(Bash(ActionFormat.Native, "echo '# looked at it' >> README.md"), Submit(ActionFormat.Native));
        }

        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDirectory);
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root, SolveWorkers = 4 });
        await using var host = await RolloutServiceHost.StartAsync(service, IPAddress.Loopback, 0);
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(5) };
        var repo = Samples.Path(Samples.Python);

        // Act
        var submitted = await Task.WhenAll(
            http.PostAsync(new Uri("v1/rollouts", UriKind.Relative), new StringContent(Request(repo, artifactDirectory, "bug-a", model.Endpoint.ToString(), 7), Encoding.UTF8, "application/json")),
            http.PostAsync(new Uri("v1/rollouts", UriKind.Relative), new StringContent(Request(repo, artifactDirectory, "bug-b", model.Endpoint.ToString(), 8), Encoding.UTF8, "application/json")));
        var ids = new List<string>();
        foreach (var response in submitted)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }

        var jobs = new List<JsonNode>();
        foreach (var id in ids)
        {
            JsonNode job;
            do
            {
                job = JsonNode.Parse(await http.GetStringAsync(new Uri($"v1/rollouts/{id}?wait=60", UriKind.Relative)))!;
            }
            while (job["status"]!.GetValue<string>() is "queued" or "running");
            jobs.Add(job);
        }

        var health = JsonNode.Parse(await http.GetStringAsync(new Uri("v1/health", UriKind.Relative)))!;

        // Assert
        Assert.All(jobs, j => Assert.True(j["status"]!.GetValue<string>() == "done", j["error"]?.GetValue<string>()));
        Assert.Equal([7, 8], jobs.Select(j => j["policyVersion"]!.GetValue<int>()));
        Assert.All(jobs, j => Assert.Equal(2, j["attemptsDone"]!.GetValue<int>()));
        var groups = jobs.Select(j => j["groups"]!.AsArray().Single()!).ToList();
        Assert.Equal(2, groups.Sum(g => g["rollouts"]!.AsArray().Count(r => r!["solved"]!.GetValue<bool>())));
        foreach (var (group, job) in groups.Zip(jobs))
        {
            var rollouts = group["rollouts"]!.AsArray().Select(r => r!).ToList();
            var rewards = rollouts.Select(r => r["reward"]!.GetValue<double>()).ToList();
            Assert.Equal(rollouts.Select(r => r["solved"]!.GetValue<bool>() ? 1.0 : -1.0), rewards);
            Assert.Equal(rollouts.Select(r => r["solved"]!.GetValue<bool>() ? "solved" : "unsolved"), rollouts.Select(r => r["outcome"]!.GetValue<string>()));

            // GRPO by hand: equal rewards give 0; {+1, −1} gives ±1 / (1 + 1e-6).
            var expected = rewards[0] == rewards[1] ? [0.0, 0.0] : rewards.Select(r => r / (1 + 1e-6)).ToList();
            Assert.Equal(expected, rollouts.Select(r => r["advantage"]!.GetValue<double>()), (a, b) => Math.Abs(a - b) < 1e-12);
            Assert.Equal(rewards[0] == rewards[1], group["zeroVariance"]!.GetValue<bool>());
            Assert.Equal($"{job["id"]!.GetValue<string>()}/{group["taskId"]!.GetValue<string>()}", group["uid"]!.GetValue<string>());

            // The token-level records are the rl export's, one per rollout, carrying the request's policy version.
            var records = group["records"]!.AsArray().Select(r => ExportSchemas.Validated(r!.ToJsonString(), "rl-record.schema.json")).ToList();
            Assert.Equal(2, records.Count);
            Assert.All(records, r => Assert.Equal(job["policyVersion"]!.GetValue<int>(), r["policy_version"]!.GetValue<int>()));
            Assert.Equal(rewards.Order(), records.Select(r => r["reward"]!.GetValue<double>()).Order());
            Assert.All(records, r => Assert.Equal(r["reward"]!.GetValue<double>() > 0 ? "solved" : "unsolved", r["outcome"]!.GetValue<string>()));
            Assert.All(rollouts, r => Assert.True(File.Exists(r["trajectory"]!.GetValue<string>())));
        }

        Assert.Equal(2, health["jobs"]!["done"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(work.Path, "serve", ids[0], "result.json")));
        Assert.Equal(0, model.Pending);
    }

    [Fact]
    public async Task Rollouts_SimilarityReward_TheExactRepairScoresOneAndTheUnrelatedEditZero()
    {
        // Arrange: one repairing and one useless episode, rewarded by SWE-RL's similarity instead of the grade.
        var artifact = SampleArtifacts.For(Samples.Python);
        await using var model = await ScriptedModelServer.StartAsync();
        model.EnqueueConversation(Bash(ActionFormat.Native, $"git apply -R <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF\n"), Submit(ActionFormat.Native));
        model.EnqueueConversation(Bash(ActionFormat.Native, "echo '# looked at it' >> README.md"), Submit(ActionFormat.Native));
        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDirectory);
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root, SolveWorkers = 2 });
        var request = JsonSerializer.Deserialize<RolloutRequest>(Request(Samples.Path(Samples.Python), artifactDirectory, "t", model.Endpoint.ToString(), 0))! with { Reward = SimilarityReward.Similarity };

        // Act
        var job = await service.SubmitAsync(request);
        var done = await service.WaitAsync(job.Id, TimeSpan.FromMinutes(5));

        // Assert: rewards {1, 0}, GRPO advantages ±(1/2)/(1/2 + 1e-6), the records carrying the same rewards.
        Assert.True(done!.Status == "done", done.Error);
        var group = Assert.Single(done.Groups!);
        Assert.Equal([(true, 1.0), (false, 0.0)], group.Rollouts.Select(r => (r.Solved, r.Reward)).OrderByDescending(r => r.Reward));
        Assert.All(group.Rollouts, r => Assert.Equal((r.Reward - 0.5) / (0.5 + 1e-6), r.Advantage, 12));
        Assert.Equal([0.0, 1.0], group.Records.Select(r => r.Reward).Order());
    }

    [Fact]
    public async Task Rollouts_BadRequests_ClearFourHundredsAndNothingQueued()
    {
        // Arrange
        using var work = new TempDirectory();
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = work.Path, CacheRoot = TestCache.Root });
        await using var host = await RolloutServiceHost.StartAsync(service, IPAddress.Loopback, 0);
        using var http = new HttpClient { BaseAddress = host.Address };
        var url = new Uri("v1/rollouts", UriKind.Relative);
        async Task<(HttpStatusCode Status, string Error)> PostAsync(string body)
        {
            using var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }

        // Act
        var malformed = await PostAsync("{\"tasks\": [");
        var noRepo = await PostAsync(Request(Path.Combine(work.Path, "nope"), work.Path, "t", "http://127.0.0.1:9/v1", 0));
        var noArtifact = await PostAsync(Request(Samples.Path(Samples.Python), Path.Combine(work.Path, "nope"), "t", "http://127.0.0.1:9/v1", 0));
        var badUrl = await PostAsync(Request(Samples.Path(Samples.Python), work.Path, "t", "localhost:8000", 0));
        var badReward = await PostAsync(Request(Samples.Path(Samples.Python), work.Path, "t", "http://127.0.0.1:9/v1", 0).Replace("\"groupSize\":2", "\"groupSize\":2,\"reward\":\"vibes\"", StringComparison.Ordinal));
        using var unknown = await http.GetAsync(new Uri("v1/rollouts/job-none", UriKind.Relative));
        var health = await http.GetFromJsonAsync<JsonNode>(new Uri("v1/health", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Contains("not a rollout request", malformed.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noRepo.Status);
        Assert.Contains("nope", noRepo.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noArtifact.Status);
        Assert.Contains("task artifact", noArtifact.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badUrl.Status);
        Assert.Contains("policy.url", badUrl.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badReward.Status);
        Assert.Contains("reward must be binary or similarity; got 'vibes'", badReward.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(health!["jobs"]!.AsObject());
    }

    [Fact]
    public async Task Rollouts_PolicyServerDown_JobFailsWithTheReason()
    {
        // Arrange: a port nothing listens on.
        var artifact = SampleArtifacts.For(Samples.Python);
        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDirectory);
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root });
        var request = JsonSerializer.Deserialize<RolloutRequest>(Request(Samples.Path(Samples.Python), artifactDirectory, "t", "http://127.0.0.1:9/v1", 0))! with { GroupSize = 1 };

        // Act
        var job = await service.SubmitAsync(request);
        var done = await service.WaitAsync(job.Id, TimeSpan.FromMinutes(3));

        // Assert
        Assert.True(job.Status is "queued" or "running", job.Status);
        Assert.Equal("failed", done!.Status);
        Assert.Contains("cannot be used", done.Error, StringComparison.Ordinal);
        Assert.Null(done.Groups);
    }

    [Fact]
    public async Task Rollouts_PolicyServerFailsAfterItsRetries_JobFailsAndNoAttemptIsScored()
    {
        // Arrange: every call answers 500 (Retry-After 0, so the retries are quick): the server's failure, not the policy's answer.
        var artifact = SampleArtifacts.For(Samples.Python);
        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDirectory);
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue([.. Enumerable.Range(0, 10).Select(_ => ScriptedReply.Error(500, "overloaded", TimeSpan.Zero))]);
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root });
        var request = JsonSerializer.Deserialize<RolloutRequest>(Request(Samples.Path(Samples.Python), artifactDirectory, "t", server.Endpoint.ToString(), 0))! with { GroupSize = 1 };

        // Act
        var job = await service.SubmitAsync(request);
        var done = await service.WaitAsync(job.Id, TimeSpan.FromMinutes(3));

        // Assert
        Assert.Equal("failed", done!.Status);
        Assert.Contains("not scored", done.Error, StringComparison.Ordinal);
        Assert.Null(done.Groups);
        Assert.True(server.Requests.Count >= 2, "the client should have retried");
    }

    [Fact]
    public async Task Rollouts_TaskWhoseSuiteDoesNotRun_JobFailsWithWhyAndTryBeforeAnyEpisode()
    {
        // Arrange: the repository's only test module imports a module that is not installed.
        using var repo = new TempGitRepo();
        repo.Write("stock.py", "def count():\n    return 3\n")
            .Write("test_stock.py", "import sparring_absent_module\nimport stock\n\ndef test_count():\n    assert stock.count() == 3\n");
        var commit = repo.Commit("stock");
        repo.Write("stock.py", "def count():\n    return 4\n");
        var bug = repo.Git("diff");
        repo.Git("checkout", "--", "stock.py");
        var artifact = new BugArtifact
        {
            BugInjectDiff = bug,
            TestWeakenDiff = "",
            TestFiles = ["test_stock.py"],
            TestScript = "#!/bin/bash\npython3 -m pytest -rA -v -p no:cacheprovider --color=no\n",
            Metadata = new ArtifactMetadata { Id = "stock-1", BaseCommit = commit, Parser = "pytest" },
        };
        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDirectory);
        await using var model = await ScriptedModelServer.StartAsync();
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root });
        await using var host = await RolloutServiceHost.StartAsync(service, IPAddress.Loopback, 0);
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(5) };

        // Act
        using var posted = await http.PostAsync(new Uri("v1/rollouts", UriKind.Relative), new StringContent(Request(repo.Path, artifactDirectory, "stock", model.Endpoint.ToString(), 1), Encoding.UTF8, "application/json"));
        var id = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        JsonNode job;
        do
        {
            job = JsonNode.Parse(await http.GetStringAsync(new Uri($"v1/rollouts/{id}?wait=60", UriKind.Relative)))!;
        }
        while (job["status"]!.GetValue<string>() is "queued" or "running");

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("failed", job["status"]!.GetValue<string>());
        var error = job["error"]!.GetValue<string>().Split('\n');
        Assert.StartsWith("No test passes on the original tree of task 'stock'", error[0], StringComparison.Ordinal);
        Assert.Contains("why: the Python module 'sparring_absent_module' is not installed", error);
        Assert.Contains(error, l => l.StartsWith("try: apt-get install python3-sparring-absent-module", StringComparison.Ordinal));
        Assert.Equal("missing-module", job["diagnosis"]!["kind"]!.GetValue<string>());
        Assert.Contains("E   ModuleNotFoundError: No module named 'sparring_absent_module'", job["diagnosis"]!["excerpt"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Null(job["groups"]);
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task Rollouts_ArtifactNamingPathsOutsideTheRepository_FourHundredsNamingThePathAndNothingQueued()
    {
        // Arrange: test_files.txt with ../../NAME (beside the workspaces), an absolute path, a file through a link in
        // the repository to a host folder, and a file the repository lacks.
        using var work = new TempDirectory();
        using var beside = Sentinel.BesideWorkspaces(TestCache.Root);
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        var linked = sentinel.CloneWithLinkHere(Samples.Path(Samples.Python), Path.Combine(work.Path, "linked"), "tests/fixtures");
        var valid = SampleArtifacts.For(Samples.Python);
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root });
        await using var host = await RolloutServiceHost.StartAsync(service, IPAddress.Loopback, 0);
        using var http = new HttpClient { BaseAddress = host.Address };
        async Task<(HttpStatusCode Status, string Error)> PostAsync(string repo, string testFile)
        {
            var directory = Path.Combine(work.Path, "artifact-" + Guid.NewGuid().ToString("N"));
            await BugArtifactFiles.SaveAsync(valid with { TestFiles = [.. valid.TestFiles, testFile] }, directory);
            using var response = await http.PostAsync(new Uri("v1/rollouts", UriKind.Relative), new StringContent(Request(repo, directory, "t", "http://127.0.0.1:9/v1", 0), Encoding.UTF8, "application/json"));
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }

        // Act
        var parent = await PostAsync(Samples.Path(Samples.Python), beside.FromWorkspaceTree);
        var absolute = await PostAsync(Samples.Path(Samples.Python), sentinel.Path);
        var link = await PostAsync(linked, "tests/fixtures/" + sentinel.Name);
        var absent = await PostAsync(Samples.Path(Samples.Python), "tests/test_missing.py");
        var health = await http.GetFromJsonAsync<JsonNode>(new Uri("v1/health", UriKind.Relative));

        // Assert
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], new[] { parent.Status, absolute.Status, link.Status, absent.Status });
        Assert.Contains($"test_files.txt in '{work.Path}/artifact-", parent.Error, StringComparison.Ordinal);
        Assert.Contains($"names '{beside.FromWorkspaceTree}', which Sparring refuses to use: it climbs out of the repository with '..'", parent.Error, StringComparison.Ordinal);
        Assert.Contains("it is absolute", absolute.Error, StringComparison.Ordinal);
        Assert.Contains($"names 'tests/fixtures/{sentinel.Name}', which Sparring refuses to use: it leads outside the repository through a symbolic link", link.Error, StringComparison.Ordinal);
        Assert.Contains("no such file in the repository", absent.Error, StringComparison.Ordinal);
        Assert.Empty(health!["jobs"]!.AsObject());
        Assert.True(beside.Untouched);
        Assert.True(sentinel.Untouched);
    }

    [Fact]
    public async Task Rollouts_PolicyFixesTheBugButPlantsALinkOutOfTheRepository_AttemptUnsolvedAndNothingWrittenOutside()
    {
        // Arrange
        var artifact = SampleArtifacts.For(Samples.Python);
        using var outside = new TempDirectory();
        using var sentinel = new Sentinel(outside.Path);
        await using var model = await ScriptedModelServer.StartAsync();
        model.EnqueueConversation(Bash(ActionFormat.Native, $"git apply -R <<'SPARRING_EOF'\n{artifact.BugInjectDiff}SPARRING_EOF\nln -s '{outside.Path}' tests/fixtures\n"), Submit(ActionFormat.Native));
        using var work = new TempDirectory();
        var artifactDirectory = Path.Combine(work.Path, "artifact");
        await BugArtifactFiles.SaveAsync(artifact, artifactDirectory);
        await using var service = new RolloutService(SampleEnvironments.Sandboxes, new RolloutServiceOptions { WorkDirectory = Path.Combine(work.Path, "serve"), CacheRoot = TestCache.Root });
        var request = JsonSerializer.Deserialize<RolloutRequest>(Request(Samples.Path(Samples.Python), artifactDirectory, "t", model.Endpoint.ToString(), 0))! with { GroupSize = 1 };

        // Act
        var job = await service.SubmitAsync(request);
        var done = await service.WaitAsync(job.Id, TimeSpan.FromMinutes(3));

        // Assert
        Assert.True(done!.Status == "done", done.Error);
        var rollout = done.Groups!.Single().Rollouts.Single();
        Assert.Equal("submitted", rollout.Exit);
        Assert.False(rollout.Solved);
        Assert.Equal(-1.0, rollout.Reward);
        Assert.Contains("tests/fixtures", await File.ReadAllTextAsync(rollout.Patch!), StringComparison.Ordinal);
        Assert.True(sentinel.Untouched);
    }
}
