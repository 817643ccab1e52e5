using System.Text.Json;
using System.Text.Json.Nodes;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary><c>eval --select</c> on a real exported task set, where the right choice is known.</summary>
public sealed class EvalSelectTests(SelfplayTaskSets sets) : IClassFixture<SelfplayTaskSets>
{
    /// <summary>A test file of three tests that pass whatever the code does.</summary>
    private const string Padding = "diff --git a/tests/test_padding.py b/tests/test_padding.py\nnew file mode 100644\n--- /dev/null\n+++ b/tests/test_padding.py\n@@ -0,0 +1,6 @@\n+def test_a():\n+    pass\n+def test_b():\n+    pass\n+def test_c():\n+    pass\n";

    /// <summary>The export's first instance, alone in a task set of its own.</summary>
    private async Task<(JsonNode Instance, string TaskSet)> FirstInstanceAsync(TempDirectory dir)
    {
        var instance = JsonNode.Parse(File.ReadLines(Path.Combine(sets.SweBench, "swebench.jsonl")).First())!;
        var single = Path.Combine(dir.Path, "one.jsonl");
        await File.WriteAllTextAsync(single, instance.ToJsonString() + "\n");
        return (instance, single);
    }

    private static ScriptedReply Bash(string command) => ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = command }));

    /// <summary>A patch that applies everywhere and fixes nothing: a new notes file.</summary>
    private static string Notes(string text) =>
        $"diff --git a/NOTES.txt b/NOTES.txt\nnew file mode 100644\n--- /dev/null\n+++ b/NOTES.txt\n@@ -0,0 +1 @@\n+{text}\n";

    /// <summary>
    /// Four predictions files: per instance, sample 1 and 4 leave notes (different ones), samples 2 and 3 the gold patch.
    /// SWE-Swiss's vote plus similarity must choose sample 2 (the first of the two equal golds); pass@1 is 1/2.
    /// </summary>
    private async Task<string[]> PredictionsAsync(string directory)
    {
        var instances = File.ReadLines(Path.Combine(sets.SweBench, "swebench.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var files = new string[4];
        for (var sample = 1; sample <= 4; sample++)
        {
            var lines = instances.Select(i => new JsonObject
            {
                ["instance_id"] = i["instance_id"]!.GetValue<string>(),
                ["model_name_or_path"] = "mixed",
                ["model_patch"] = sample switch { 1 => Notes("hello"), 4 => Notes("goodbye"), _ => i["patch"]!.GetValue<string>() },
            }.ToJsonString());
            files[sample - 1] = Path.Combine(directory, $"sample-{sample}.jsonl");
            await File.WriteAllLinesAsync(files[sample - 1], lines);
        }

        return files;
    }

    [Fact]
    public async Task Eval_SweSwissOnFourPredictions_ChoosesTheRepeatedGoldPatchAndReportsItsRateBesidePassAtK()
    {
        // Arrange
        using var dir = new TempDirectory();
        var files = await PredictionsAsync(dir.Path);
        var output = Path.Combine(dir.Path, "eval");

        // Act
        var outcome = await CliRunner.RunAsync(["eval", sets.SweBench, .. files.SelectMany(f => new[] { "--predictions", f }), "--select", "swe-swiss", "--out", output, "--json"]);

        // Assert
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var summary = JsonDocument.Parse(outcome.Stdout);
        var root = summary.RootElement;
        var instances = root.GetProperty("instances").GetInt32();
        Assert.True(instances >= 1);
        Assert.Equal(0.5, root.GetProperty("passAt1").GetDouble(), 9);
        Assert.Equal(1.0, root.GetProperty("passAtK").GetProperty("4").GetDouble(), 9);
        var selector = Assert.Single(root.GetProperty("selection").EnumerateArray());
        Assert.Equal("swe-swiss", selector.GetProperty("selector").GetString());
        Assert.Equal(1.0, selector.GetProperty("resolveRate").GetDouble());
        Assert.Equal(instances, selector.GetProperty("resolvedInstances").GetInt32());
        foreach (var instance in root.GetProperty("instanceResults").EnumerateArray())
        {
            var selection = Assert.Single(instance.GetProperty("selections").EnumerateArray());
            Assert.Equal(2, selection.GetProperty("chosen").GetInt32());
            Assert.True(selection.GetProperty("resolved").GetBoolean());
            var scores = selection.GetProperty("scores").EnumerateArray().ToList();
            Assert.Equal([1, 2, 3, 4], scores.Select(s => s.GetProperty("sample").GetInt32()));
            Assert.StartsWith("EM 2 + Sim ", scores[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(scores[1].GetProperty("score").GetDouble(), scores[2].GetProperty("score").GetDouble());
            Assert.True(scores[0].GetProperty("score").GetDouble() < 2);
        }

        Assert.Equal(instances, File.ReadAllLines(Path.Combine(output, "selection.jsonl")).Length);
        Assert.Contains("Selected \u00b7 swe-swiss", File.ReadAllText(Path.Combine(output, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_AllFourSelectors_TheTestsAndTheVerifierFindTheLoneGoldThatSimilarityMisses()
    {
        // Arrange: three different useless patches and one gold (sample 3). The test writer reproduces each bug with the
        // instance's own test patch; the verifier ranks the useless ones higher (0.9, 0.8) but keeps the gold in its top 3.
        // Sample 4 also adds passing tests of its own, which must not count as passing generated cases.
        using var dir = new TempDirectory();
        var instances = File.ReadLines(Path.Combine(sets.SweBench, "swebench.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        var files = new string[4];
        for (var sample = 1; sample <= 4; sample++)
        {
            files[sample - 1] = Path.Combine(dir.Path, $"sample-{sample}.jsonl");
            await File.WriteAllLinesAsync(files[sample - 1], instances.Select(i => new JsonObject
            {
                ["instance_id"] = i["instance_id"]!.GetValue<string>(),
                ["model_name_or_path"] = "mixed",
                ["model_patch"] = sample switch { 1 => Notes("hello"), 2 => Notes("goodbye"), 3 => i["patch"]!.GetValue<string>(), _ => Notes("hello again") + Padding },
            }.ToJsonString()));
        }

        var Submit = ScriptedReply.ToolCall("submit", "{}");
        await using var server = await ScriptedModelServer.StartAsync();
        foreach (var instance in instances)
        {
            var reproduce = $"git apply <<'SPARRING_EOF'\n{instance["test_patch"]!.GetValue<string>()}SPARRING_EOF";
            server.Enqueue(
                Bash(reproduce),
                Submit,
                ScriptedReply.Verdict("YES", ("YES", 0.9), ("NO", 0.1)),
                ScriptedReply.Verdict("YES", ("YES", 0.8), ("NO", 0.2)),
                ScriptedReply.Verdict("NO", ("NO", 0.3), ("YES", 0.7)),
                ScriptedReply.Verdict("NO", ("NO", 0.9), ("YES", 0.1)));

            // InfCode's one round: the gold passes the test, so the writer is asked for a stronger one (it writes one that
            // passes everywhere, which is not kept); the three others are revised, into notes again.
            server.Enqueue(Bash("printf 'def test_generated_always():\\n    assert True\\n' > tests/test_stronger.py"), Submit);
            for (var revision = 0; revision < 3; revision++)
            {
                server.Enqueue(Bash($"echo revised {revision} > NOTES.txt"), Submit);
            }
        }

        var output = Path.Combine(dir.Path, "eval");

        // Act
        var outcome = await CliRunner.RunAsync([
            "eval", sets.SweBench, .. files.SelectMany(f => new[] { "--predictions", f }), "--select", "kimi-dev,swe-swiss,hybrid,infcode", "--select-tests", "1", "--infcode-rounds", "1",
            "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--out", output, "--json"]);

        // Assert: each selector's rate beside pass@1 1/4 and pass@4 1.
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var summary = JsonDocument.Parse(outcome.Stdout);
        var root = summary.RootElement;
        Assert.Equal(0.25, root.GetProperty("passAt1").GetDouble(), 9);
        Assert.Equal(1.0, root.GetProperty("passAtK").GetProperty("4").GetDouble(), 9);
        var rates = root.GetProperty("selection").EnumerateArray().ToDictionary(s => s.GetProperty("selector").GetString()!, s => s.GetProperty("resolveRate").GetDouble());
        Assert.Equal(new Dictionary<string, double> { ["kimi-dev"] = 1, ["swe-swiss"] = 0, ["hybrid"] = 1, ["infcode"] = 1 }, rates);
        foreach (var instance in root.GetProperty("instanceResults").EnumerateArray())
        {
            var selections = instance.GetProperty("selections").EnumerateArray().ToDictionary(s => s.GetProperty("selector").GetString()!);
            Assert.Equal(3, selections["kimi-dev"].GetProperty("chosen").GetInt32());
            Assert.Equal(3, selections["hybrid"].GetProperty("chosen").GetInt32());
            Assert.NotEqual(3, selections["swe-swiss"].GetProperty("chosen").GetInt32());
            Assert.Equal(3, selections["infcode"].GetProperty("chosen").GetInt32());
            var infcode = selections["infcode"].GetProperty("scores").EnumerateArray().ToList();
            Assert.Equal([1, 2, 3, 4, 5, 6, 7], infcode.Select(c => c.GetProperty("sample").GetInt32()));
            Assert.All(infcode.Skip(4), c => Assert.StartsWith("round 2, passes 0/1", c.GetProperty("detail").GetString(), StringComparison.Ordinal));
            Assert.Contains(selections["infcode"].GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("round-1-test: not kept", StringComparison.Ordinal));

            // Kimi-Dev: the gold patch turns every failing case of the generated test to passing; the others none.
            var kimi = selections["kimi-dev"].GetProperty("scores").EnumerateArray().ToList();
            Assert.Contains("fail→pass 0/", kimi[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Matches(@"fail→pass (\d+)/\1,", kimi[2].GetProperty("detail").GetString()!);

            // Hybrid: the gold survives all three filters with v = 0.7.
            var hybrid = selections["hybrid"].GetProperty("scores").EnumerateArray().ToList();
            Assert.Equal(3.7, hybrid[2].GetProperty("score").GetDouble(), 9);
            Assert.Equal(0.1 + 0, hybrid[3].GetProperty("score").GetDouble(), 9);
        }

        Assert.Equal(0, server.Pending);
        Assert.True(File.Exists(Directory.GetFiles(Path.Combine(output, "selection"), "generated_test.diff", SearchOption.AllDirectories).First()));
        var verifier = server.Requests.Where(r => r.RootElement.TryGetProperty("top_logprobs", out _)).ToList();
        Assert.Equal(4 * instances.Count, verifier.Count);
        Assert.All(verifier, r => Assert.Equal((20, 1), (r.RootElement.GetProperty("top_logprobs").GetInt32(), r.RootElement.GetProperty("max_tokens").GetInt32())));
    }

    [Fact]
    public async Task Eval_AgentWithFourSamplesAndEverySelector_RunsEndToEndAndReportsEachRateBesidePassAtK()
    {
        // Arrange: one instance; the agent's samples leave notes, notes, the gold fix, notes; then the test writer and the verifier.
        using var dir = new TempDirectory();
        var (instance, single) = await FirstInstanceAsync(dir);
        var submit = ScriptedReply.ToolCall("submit", "{}");
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(
            Bash("echo hello > NOTES.txt"), submit,
            Bash("echo goodbye > NOTES.txt"), submit,
            Bash($"git apply <<'SPARRING_EOF'\n{instance["patch"]!.GetValue<string>()}SPARRING_EOF"), submit,
            Bash("echo hello again > NOTES.txt"), submit);
        for (var test = 0; test < 4; test++)
        {
            // M = K generated tests by default.
            server.Enqueue(Bash($"git apply <<'SPARRING_EOF'\n{instance["test_patch"]!.GetValue<string>()}SPARRING_EOF"), submit);
        }

        server.Enqueue(
            ScriptedReply.Verdict("YES", ("YES", 0.6), ("NO", 0.4)),
            ScriptedReply.Verdict("YES", ("YES", 0.6), ("NO", 0.4)),
            ScriptedReply.Verdict("YES", ("YES", 0.6), ("NO", 0.4)),
            ScriptedReply.Verdict("YES", ("YES", 0.6), ("NO", 0.4)));

        // InfCode's two rounds: a stronger test is asked for against the gold (one that always passes, not kept), and the
        // notes are revised twice, into notes again.
        server.Enqueue(Bash("printf 'def test_generated_always():\\n    assert True\\n' > tests/test_stronger.py"), submit);
        for (var revision = 0; revision < 6; revision++)
        {
            server.Enqueue(Bash($"echo revised {revision} > NOTES.txt"), submit);
        }

        // Act
        var outcome = await CliRunner.RunAsync(
            "eval", single, "--repo", Path.Combine(sets.SweBench, "repo.git"), "--model-url", server.Endpoint.ToString(), "--model", server.Model,
            "--samples", "4", "--select", "kimi-dev,swe-swiss,hybrid,infcode", "--out", Path.Combine(dir.Path, "eval"));

        // Assert: the printed report has pass@1, pass@4 and one line per selector; the tests find the gold (ties in
        // the verifier leave the choice to the tests), similarity picks a note.
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Contains("pass@1 0.25  pass@2 0.5  pass@3 0.75  pass@4 1", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("select kimi-dev: 1/1 instances resolved  resolve rate 1", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("select hybrid: 1/1 instances resolved  resolve rate 1", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("select swe-swiss: 0/1 instances resolved  resolve rate 0", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains("select infcode: 1/1 instances resolved  resolve rate 1  (1 chosen)", outcome.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task Eval_InfCodeOnTwoUselessSamples_ARevisionFixesTheBugAndIsChosenAndGraded()
    {
        // Arrange: both samples leave notes (pass@2 is 0). The writer reproduces the bug; in round 1 no patch passes it, so
        // both are revised: the first into the gold fix, the second into notes again. The gold revision passes the test, so
        // the writer is asked once more for a stronger test (one that always passes, not kept).
        using var dir = new TempDirectory();
        var (instance, single) = await FirstInstanceAsync(dir);
        var files = new string[2];
        for (var sample = 1; sample <= 2; sample++)
        {
            files[sample - 1] = Path.Combine(dir.Path, $"sample-{sample}.jsonl");
            await File.WriteAllTextAsync(files[sample - 1], new JsonObject { ["instance_id"] = instance["instance_id"]!.GetValue<string>(), ["model_name_or_path"] = "notes", ["model_patch"] = Notes($"note {sample}") }.ToJsonString() + "\n");
        }

        var submit = ScriptedReply.ToolCall("submit", "{}");
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(
            Bash($"git apply <<'SPARRING_EOF'\n{instance["test_patch"]!.GetValue<string>()}SPARRING_EOF"), submit,
            Bash($"git apply <<'SPARRING_EOF'\n{instance["patch"]!.GetValue<string>()}SPARRING_EOF"), submit,
            Bash("echo still notes > NOTES.txt"), submit,
            Bash("printf 'def test_generated_always():\\n    assert True\\n' > tests/test_stronger.py"), submit);
        var output = Path.Combine(dir.Path, "eval");

        // Act
        var outcome = await CliRunner.RunAsync([
            "eval", single, "--repo", Path.Combine(sets.SweBench, "repo.git"), .. files.SelectMany(f => new[] { "--predictions", f }), "--select", "infcode",
            "--select-tests", "1", "--infcode-rounds", "1", "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--out", output, "--json"]);

        // Assert: the revision of sample 1 (numbered 3) passes the test, is chosen, and is graded resolved.
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var summary = JsonDocument.Parse(outcome.Stdout);
        var root = summary.RootElement;
        Assert.Equal(0.0, root.GetProperty("passAtK").GetProperty("2").GetDouble());
        var selection = Assert.Single(root.GetProperty("instanceResults")[0].GetProperty("selections").EnumerateArray());
        Assert.Equal(3, selection.GetProperty("chosen").GetInt32());
        Assert.True(selection.GetProperty("resolved").GetBoolean());
        Assert.Equal(2.0, selection.GetProperty("score").GetDouble());
        Assert.Contains(selection.GetProperty("notes").EnumerateArray(), n => n.GetString() == "the chosen revision 3 (round 2) was graded solved");
        Assert.Equal(1.0, Assert.Single(root.GetProperty("selection").EnumerateArray()).GetProperty("resolveRate").GetDouble());
        Assert.True(File.Exists(Path.Combine(output, "selection", instance["instance_id"]!.GetValue<string>(), "infcode", "round-1", "revision-3", "pred_patch.diff")));
        var revisionPrompt = server.Requests[2].RootElement.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString();
        Assert.Contains("A previous attempt submitted this patch", revisionPrompt, StringComparison.Ordinal);
        Assert.Contains("note 1", revisionPrompt, StringComparison.Ordinal);
        Assert.Equal(0, server.Pending);
    }

    [Fact]
    public async Task Eval_ResumedWithSelect_SelectsWithoutGradingAgainAndOnlyOnce()
    {
        // Arrange: an evaluation graded without selection.
        using var dir = new TempDirectory();
        var files = await PredictionsAsync(dir.Path);
        var output = Path.Combine(dir.Path, "eval");
        string[] Arguments(params string[] extra) => ["eval", sets.SweBench, .. files.SelectMany(f => new[] { "--predictions", f }), "--out", output, .. extra];
        var graded = await CliRunner.RunAsync(Arguments());
        Assert.True(graded.ExitCode == 0, graded.Stderr);
        var journal = File.ReadAllText(Path.Combine(output, "results.jsonl"));

        // Act
        var selected = await CliRunner.RunAsync(Arguments("--resume", "--select", "swe-swiss"));
        var again = await CliRunner.RunAsync(Arguments("--resume", "--select", "swe-swiss"));

        // Assert
        Assert.True(selected.ExitCode == 0, selected.Stderr);
        Assert.Equal(journal, File.ReadAllText(Path.Combine(output, "results.jsonl")));
        Assert.Contains("select swe-swiss: ", selected.Stdout, StringComparison.Ordinal);
        Assert.Contains("resolve rate 1", selected.Stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(output, "selection.jsonl"));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(lines, File.ReadAllLines(Path.Combine(output, "selection.jsonl")));
        Assert.DoesNotContain("select swe-swiss: " + JsonNode.Parse(lines[0])!["instance_id"], again.Stderr, StringComparison.Ordinal);

        // A resume without --select keeps the choices in the reports.
        var plain = await CliRunner.RunAsync(Arguments("--resume", "--json"));
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Equal("swe-swiss", Assert.Single(JsonDocument.Parse(plain.Stdout).RootElement.GetProperty("selection").EnumerateArray()).GetProperty("selector").GetString());
    }

    [Fact]
    public async Task Eval_TestWriterRole_AReproducingTestIsResolvedAnAlwaysPassingOneIsNot()
    {
        // Arrange: sample 1 writes the instance's own test patch (it reproduces the bug); sample 2 a test that always passes.
        using var dir = new TempDirectory();
        var (instance, single) = await FirstInstanceAsync(dir);
        var submit = ScriptedReply.ToolCall("submit", "{}");
        await using var server = await ScriptedModelServer.StartAsync();
        server.Enqueue(
            Bash($"git apply <<'SPARRING_EOF'\n{instance["test_patch"]!.GetValue<string>()}SPARRING_EOF\necho '# not a test' >> README.md"), submit,
            Bash("printf 'def test_generated_always():\\n    assert True\\n' > tests/test_generated.py"), submit);
        var output = Path.Combine(dir.Path, "eval");

        // Act
        var outcome = await CliRunner.RunAsync(
            "eval", single, "--repo", Path.Combine(sets.SweBench, "repo.git"), "--role", "test-writer", "--model-url", server.Endpoint.ToString(), "--model", server.Model,
            "--samples", "2", "--out", output, "--json");
        var refused = await CliRunner.RunAsync("eval", single, "--role", "test-writer", "--select", "swe-swiss", "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--out", Path.Combine(dir.Path, "refused"));

        // Assert
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var summary = JsonDocument.Parse(outcome.Stdout);
        var root = summary.RootElement;
        Assert.Equal(server.Model + ".test-writer", root.GetProperty("policy").GetString());
        Assert.Equal(0.5, root.GetProperty("passAt1").GetDouble());
        var samples = root.GetProperty("instanceResults")[0].GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(["resolved", "unresolved"], samples.Select(x => x.GetProperty("outcome").GetString()));
        Assert.StartsWith("fail→pass", samples[0].GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("does not fail on the broken tree", samples[1].GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);
        var test = await File.ReadAllTextAsync(Path.Combine(output, samples[0].GetProperty("patch").GetString()!));
        Assert.Contains("README.md", test, StringComparison.Ordinal); // the whole submission is kept; only its test files were judged
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("does not apply to --role test-writer", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_UnknownSelector_ExitsTwoNamingTheKnownOnes()
    {
        // Arrange
        using var dir = new TempDirectory();
        var files = await PredictionsAsync(dir.Path);

        // Act
        var outcome = await CliRunner.RunAsync(["eval", sets.SweBench, .. files.SelectMany(f => new[] { "--predictions", f }), "--select", "swe-swiss,best", "--out", Path.Combine(dir.Path, "eval")]);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("unknown selector 'best' (known: kimi-dev, swe-swiss, hybrid, infcode)", outcome.Stderr, StringComparison.Ordinal);
    }
}
