using System.Diagnostics;
using System.Text.Json.Nodes;
using Sparring.Testing;
using Sparring.Training;
using Sparring.TestUtilities;

namespace Sparring.Tests.Training;

[Collection(LlmRunGroup.Name)]
public sealed class RunExporterSweBenchTests(LlmRunFixture run)
{
    [Fact]
    public async Task ExportAsync_SweBench_InstanceWhoseBaseCommitPatchAndEvalScriptWorkOutsideSparring()
    {
        // Arrange
        using var output = new TempDirectory();
        using var checkout = new TempDirectory();

        // Act
        var manifest = await RunExporter.ExportAsync(run.RunDirectory, new RunExportOptions { Format = RunExporter.SweBench, OutputDirectory = output.Path, Image = "registry.local/{repo}:{instance_id}" });
        var instance = Assert.Single(ExportSchemas.LoadValidated(Path.Combine(output.Path, "swebench.jsonl"), "swebench-instance.schema.json"));
        var predictions = Enumerable.Range(1, 2).SelectMany(n => ExportSchemas.LoadValidated(Path.Combine(output.Path, "predictions", $"attempt-{n}.jsonl"), "swebench-prediction.schema.json")).ToList();

        // A harness's view: clone the exported repository, check out the base commit, run the eval script.
        var id = instance["instance_id"]!.GetValue<string>();
        var baseCommit = instance["base_commit"]!.GetValue<string>();
        TempGitRepo.RunGit(checkout.Path, ["clone", "-q", Path.Combine(output.Path, RunExporter.SweBenchRepository), "repo"]);
        var repo = Path.Combine(checkout.Path, "repo");
        TempGitRepo.RunGit(repo, ["checkout", "-q", "sparring/" + id]);
        var broken = Statuses(Evaluate(repo, instance["eval_script"]!.GetValue<string>()));
        TempGitRepo.RunGit(repo, ["checkout", "-q", "-f", baseCommit]);
        File.WriteAllText(Path.Combine(checkout.Path, "fix.diff"), instance["patch"]!.GetValue<string>());
        TempGitRepo.RunGit(repo, ["apply", Path.Combine(checkout.Path, "fix.diff")]);
        var fixedLog = Evaluate(repo, instance["eval_script"]!.GetValue<string>());
        var repaired = Statuses(fixedLog);
        var original = TempGitRepo.RunGit(repo, ["diff", instance["environment_setup_commit"]!.GetValue<string>(), "--stat"]);

        // Assert
        Assert.Equal(1, manifest.Records);
        Assert.Equal("py-inventory", instance["repo"]!.GetValue<string>());
        Assert.Equal($"registry.local/py-inventory:{id}", instance["image"]!.GetValue<string>());
        Assert.Equal("pytest", instance["log_parser"]!.GetValue<string>());
        Assert.Contains("restores tests that were removed", instance["problem_statement"]!.GetValue<string>(), StringComparison.Ordinal);
        var failToPass = instance["FAIL_TO_PASS"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        var passToPass = instance["PASS_TO_PASS"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Empty(failToPass.Intersect(passToPass));
        Assert.All(failToPass, t => Assert.NotEqual("passed", broken.GetValueOrDefault(t, "missing")));
        Assert.All(passToPass, t => Assert.Equal("passed", broken.GetValueOrDefault(t, "missing")));
        Assert.All(failToPass.Concat(passToPass), t => Assert.Equal("passed", repaired.GetValueOrDefault(t, "missing")));
        Assert.Contains(">>>>> Start Test Output", fixedLog, StringComparison.Ordinal);

        // The fix plus the restored tests give back exactly the original commit's tree (the eval script applied the tests).
        Assert.Equal("", original.Trim());

        // One prediction per instance and attempt; the solved attempt's patch is there, the other attempt's is whatever it submitted.
        Assert.All(predictions, p => Assert.Equal(id, p["instance_id"]!.GetValue<string>()));
        Assert.All(predictions, p => Assert.Equal("scripted-model", p["model_name_or_path"]!.GetValue<string>()));
        Assert.Contains(predictions, p => p["model_patch"]!.GetValue<string>().StartsWith("diff --git", StringComparison.Ordinal));
    }

    /// <summary>Runs an eval script as a harness would (bash, from the repository root) and returns its output.</summary>
    private static string Evaluate(string repo, string script)
    {
        var path = Path.Combine(repo, "..", "eval.sh");
        File.WriteAllText(path, script);
        var start = new ProcessStartInfo("bash") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);

        // Debian's python3, which has pytest (the first python3 on this machine's PATH may not).
        start.Environment["PATH"] = "/usr/bin:/bin";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return stdout + stderr.Result;
    }

    private static Dictionary<string, string> Statuses(string log)
    {
        var start = log.IndexOf(">>>>> Start Test Output", StringComparison.Ordinal);
        var end = log.IndexOf(">>>>> End Test Output", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, log);
        var report = TestReportParsers.Get("pytest").Parse(new ReportInput { Log = log[start..end] });
        return report.Tests.ToDictionary(t => t.Id, t => t.Status.ToString().ToLowerInvariant(), StringComparer.Ordinal);
    }
}
