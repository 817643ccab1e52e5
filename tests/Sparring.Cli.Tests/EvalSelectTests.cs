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
