using System.Text.Json;
using System.Text.Json.Nodes;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary><c>eval --select</c> on a real exported task set, where the right choice is known.</summary>
public sealed class EvalSelectTests(SelfplayTaskSets sets) : IClassFixture<SelfplayTaskSets>
{
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
                ["model_patch"] = sample switch { 1 => Notes("hello"), 2 => Notes("goodbye"), 3 => i["patch"]!.GetValue<string>(), _ => Notes("hello again") },
            }.ToJsonString()));
        }

        await using var server = await ScriptedModelServer.StartAsync();
        foreach (var instance in instances)
        {
            var reproduce = $"git apply <<'SPARRING_EOF'\n{instance["test_patch"]!.GetValue<string>()}SPARRING_EOF";
            server.Enqueue(
                ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = reproduce })),
                ScriptedReply.ToolCall("submit", "{}"),
                ScriptedReply.Verdict("YES", ("YES", 0.9), ("NO", 0.1)),
                ScriptedReply.Verdict("YES", ("YES", 0.8), ("NO", 0.2)),
                ScriptedReply.Verdict("NO", ("NO", 0.3), ("YES", 0.7)),
                ScriptedReply.Verdict("NO", ("NO", 0.9), ("YES", 0.1)));
        }

        var output = Path.Combine(dir.Path, "eval");

        // Act
        var outcome = await CliRunner.RunAsync([
            "eval", sets.SweBench, .. files.SelectMany(f => new[] { "--predictions", f }), "--select", "kimi-dev,swe-swiss,hybrid,infcode", "--select-tests", "1",
            "--model-url", server.Endpoint.ToString(), "--model", server.Model, "--out", output, "--json"]);

        // Assert: each selector's rate beside pass@1 1/4 and pass@4 1.
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        using var summary = JsonDocument.Parse(outcome.Stdout);
        var root = summary.RootElement;
        Assert.Equal(0.25, root.GetProperty("passAt1").GetDouble(), 9);
        Assert.Equal(1.0, root.GetProperty("passAtK").GetProperty("4").GetDouble(), 9);
        var rates = root.GetProperty("selection").EnumerateArray().ToDictionary(s => s.GetProperty("selector").GetString()!, s => s.GetProperty("resolveRate").GetDouble());
        Assert.Equal(new Dictionary<string, double> { ["kimi-dev"] = 1, ["swe-swiss"] = 0, ["hybrid"] = 1, ["infcode"] = 0 }, rates);
        foreach (var instance in root.GetProperty("instanceResults").EnumerateArray())
        {
            var selections = instance.GetProperty("selections").EnumerateArray().ToDictionary(s => s.GetProperty("selector").GetString()!);
            Assert.Equal(3, selections["kimi-dev"].GetProperty("chosen").GetInt32());
            Assert.Equal(3, selections["hybrid"].GetProperty("chosen").GetInt32());
            Assert.NotEqual(3, selections["swe-swiss"].GetProperty("chosen").GetInt32());
            Assert.Equal(JsonValueKind.Null, selections["infcode"].GetProperty("chosen").ValueKind);
            Assert.Contains("not built", selections["infcode"].GetProperty("problem").GetString(), StringComparison.Ordinal);

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
        var verifier = server.Requests[^1].RootElement;
        Assert.Equal(20, verifier.GetProperty("top_logprobs").GetInt32());
        Assert.Equal(1, verifier.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task Eval_AgentWithFourSamplesAndEverySelector_RunsEndToEndAndReportsEachRateBesidePassAtK()
    {
        // Arrange: one instance; the agent's samples leave notes, notes, the gold fix, notes; then the test writer and the verifier.
        using var dir = new TempDirectory();
        var instance = JsonNode.Parse(File.ReadLines(Path.Combine(sets.SweBench, "swebench.jsonl")).First())!;
        var single = Path.Combine(dir.Path, "one.jsonl");
        await File.WriteAllTextAsync(single, instance.ToJsonString() + "\n");
        static ScriptedReply Bash(string command) => ScriptedReply.ToolCall("bash", JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = command }));
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
        Assert.Contains("select infcode: 0/1 instances resolved  resolve rate 0  (0 chosen)", outcome.Stdout, StringComparison.Ordinal);
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
