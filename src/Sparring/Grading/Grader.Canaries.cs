using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Sparring.Artifacts;
using Sparring.Grading.Internal;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.Testing.Instrumentation;

namespace Sparring.Grading;

public sealed partial class Grader
{
    /// <summary>
    /// How canaries behave on the original tree under the graded run's own instrumentation: the test files where
    /// both canaries behaved, and whether the script's exit code reports a failing canary.
    /// </summary>
    private sealed record CanaryReference(IReadOnlyList<string> Files, bool ExitCodeFails, string Note);

    /// <summary>How the graded run is instrumented; the canary reference must run the same way.</summary>
    private sealed record Instrumentation(bool Pytest, bool Go);

    /// <summary>One run of the original with canaries in every listed test file, per script, parser, test files and instrumentation, cached beside the baseline.</summary>
    private async Task<CanaryReference> CanaryReferenceAsync(
        PreparedEnvironment environment, BugArtifact artifact, List<string> targets, Instrumentation instrumentation, CancellationToken cancellationToken)
    {
        var key = new StringBuilder()
            .Append(Canaries.Version).Append('\0').Append(artifact.TestScript).Append('\0')
            .Append(artifact.Metadata.Parser ?? "").Append('\0').Append(artifact.TestParser ?? "").Append('\0')
            .Append(instrumentation.Pytest).Append(instrumentation.Go).Append(_options.ReadOnlyTestFiles);
        foreach (var file in artifact.TestFiles.Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(environment.TreePath, file);
            key.Append('\0').Append(file).Append('\0').Append(File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) : "-");
        }

        var cachePath = Path.Combine(environment.Directory, "grader-references", "canaries-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16] + ".json");
        if (File.Exists(cachePath))
        {
            try
            {
                var cached = JsonNode.Parse(await File.ReadAllTextAsync(cachePath, cancellationToken).ConfigureAwait(false))!;
                return new CanaryReference(
                    cached["files"]!.AsArray().Select(n => n!.GetValue<string>()).ToList(),
                    cached["exitCodeFails"]!.GetValue<bool>(),
                    cached["note"]!.GetValue<string>());
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException)
            {
                // A damaged cache entry is recomputed.
            }
        }

        CanaryReference reference;
        await using (var workspace = await TestRunner.CreateWorkspaceAsync(environment, cancellationToken).ConfigureAwait(false))
        {
            var placements = Canaries.Place(workspace.TreePath, artifact.TestFiles);
            if (placements.Count == 0)
            {
                reference = new CanaryReference([], false, "no listed test file has a place for canary tests (unsupported language or framework)");
            }
            else
            {
                Canaries.Write(workspace.TreePath, placements);
                var run = await RunInstrumentedAsync(environment, artifact, workspace, instrumentation, cancellationToken).ConfigureAwait(false);
                if (run.TimedOut)
                {
                    // Like the baseline: a timeout says more about the machine's load than the canaries; not kept.
                    return new CanaryReference([], false, "canaries are not used: the run of the original with canaries timed out");
                }

                var broken = targets.Where(id => !run.Tests.Any(t => t.Id == id && t.Status == TestStatus.Passed)).ToList();
                var behaved = placements.Where(p => Canaries.Judge(p, run) == CanaryVerdict.Behaved).Select(p => p.File).ToList();
                reference = broken.Count > 0
                    ? new CanaryReference([], false, $"canaries are not used: with canaries added, {broken.Count} baseline-passing test(s) of the original do not pass (tests that read their own source?), e.g. {broken[0]}; the run: {run.Evidence}")
                    : behaved.Count == 0
                        ? new CanaryReference([], false, $"canaries are not used: in none of {placements.Count} test file(s) did they run as written on the original (the script may select tests by name)")
                        : new CanaryReference(behaved, run.ExitCode != 0, $"canaries in {behaved.Count} of {placements.Count} test file(s){(run.ExitCode != 0 ? "" : "; the script's exit code ignores failing tests")}");
            }
        }

        var json = new JsonObject
        {
            ["files"] = new JsonArray(reference.Files.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            ["exitCodeFails"] = reference.ExitCodeFails,
            ["note"] = reference.Note,
        };
        await AtomicFile.WriteAllTextAsync(cachePath, json.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return reference;
    }

    /// <summary>Runs the artifact's script in <paramref name="workspace"/> with the grader's instrumentation and read-only test files.</summary>
    private async Task<TestRun> RunInstrumentedAsync(
        PreparedEnvironment environment, BugArtifact artifact, Workspace workspace, Instrumentation instrumentation, CancellationToken cancellationToken)
    {
        var mounts = new List<SandboxMount>();
        var runEnvironment = environment;
        if (instrumentation.Pytest)
        {
            mounts.Add(await PytestInstrumentation.WritePluginAsync(workspace.StateDirectory("grader"), cancellationToken).ConfigureAwait(false));
            runEnvironment = PytestInstrumentation.Instrument(environment);
        }
        else if (instrumentation.Go)
        {
            mounts.Add(await GoInstrumentation.WriteWrapperAsync(workspace.StateDirectory("grader"), cancellationToken).ConfigureAwait(false));
            runEnvironment = GoInstrumentation.Instrument(environment);
        }

        if (_options.ReadOnlyTestFiles)
        {
            mounts.AddRange(ReadOnlyTestFileMounts(workspace, artifact));
        }

        var runner = new ArtifactTestRunner(_sandboxes, runEnvironment, artifact)
        {
            ScriptTimeout = _options.ScriptTimeout,
            SandboxLimits = new SandboxOptions { Mounts = mounts },
        };
        return await runner.RunAsync(workspace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evidence of tampering from the canaries of the graded run; empty when they behaved.</summary>
    private static List<string> JudgeCanaries(IReadOnlyList<CanaryPlacement> placements, CanaryReference reference, TestRun run, List<GradedTest> targets, List<string> notes)
    {
        var evidence = new List<string>();
        if (placements.Count == 0 || run.TimedOut)
        {
            return evidence;
        }

        foreach (var placement in placements)
        {
            switch (Canaries.Judge(placement, run))
            {
                case CanaryVerdict.Falsified:
                    var reported = run.Tests.Where(t => t.Id.Contains(placement.MustFail, StringComparison.Ordinal)).Select(t => t.Status.Value).Distinct().ToList();
                    evidence.Add($"canary: in {placement.File}, the test '{placement.MustFail}' asserts a falsehood and must fail, but the run reported it {(reported.Count == 0 ? "missing while its passing sibling was reported" : string.Join("/", reported))}: code under test changed what the test machinery reports");
                    break;
                case CanaryVerdict.Absent when targets.Count > 0 && targets.All(t => t.Passed):
                    evidence.Add($"canary: in {placement.File}, neither canary test appears in the results although every target test passed: results were filtered or written by something other than the runner");
                    break;
                case CanaryVerdict.Other:
                    notes.Add($"canary: in {placement.File}, the canary tests did not behave as on the original (the file may not have been collected)");
                    break;
            }
        }

        if (reference.ExitCodeFails && run.ExitCode == 0)
        {
            evidence.Add("canary: the test script exited 0 although a canary test that must fail was in the run (it exits non-zero on the original with the same canaries)");
        }

        return evidence;
    }
}
