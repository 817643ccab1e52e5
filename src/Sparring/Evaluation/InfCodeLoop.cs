using System.Globalization;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Selection;
using Sparring.Solving;

namespace Sparring.Evaluation;

/// <summary>
/// InfCode's adversarial loop (spec §4) on one instance: round 1's patches are the graded samples, the tests the test
/// writer's generated tests that fail on the broken tree. Each round, while a patch of the round passes every test so
/// far, the test writer is shown it and asked for a stronger test (kept if it fails on the broken tree); then each patch
/// of the round that fails a test is revised by the solver, shown its patch and the failing tests, giving the next
/// round's patches (made in <c>round-R/</c>, counted in round R+1). The last revisions get one more strengthening, since
/// they saw the tests they failed. Then <see cref="InfCodeSelector"/> chooses among the patches of every round by all the
/// tests; with no test, nothing is chosen. Nothing looks at the fixed tree or the hidden tests.
/// </summary>
internal static class InfCodeLoop
{
    /// <summary>A patch of some round: a graded sample (round 1) or a revision, numbered after the samples.</summary>
    public sealed record Candidate(int Id, int Round, string Patch, bool IsSample);

    private sealed record Test(string Name, string Patch, IReadOnlyCollection<string> Cases);

    public static async Task<(SelectionResult Result, IReadOnlyList<Candidate> Candidates, IReadOnlyList<string> Notes)> RunAsync(
        ISandboxProvider sandboxes, SelectionModel model, EvalInstance instance, SelectionEvidence evidence, IReadOnlyList<(int Sample, string? Patch)> samples,
        int sampleCount, int rounds, string folder, TimeSpan timeout, Action<string>? progress, CancellationToken cancellationToken)
    {
        var runner = new GeneratedTestRunner(sandboxes, instance.Environment, instance.Artifact) { ScriptTimeout = timeout };
        var notes = new List<string>();
        var tests = evidence.Tests.Where(t => t.Unpatched.Values.Any(passed => !passed)).Select(t => new Test(t.Name, evidence.TestPatches[t.Name], [.. t.Unpatched.Keys])).ToList();
        var passes = new Dictionary<(int Id, string Test), bool>();
        foreach (var generated in evidence.Tests)
        {
            foreach (var (sample, cases) in generated.Patched)
            {
                passes[(sample, generated.Name)] = generated.Unpatched.Keys.All(id => cases.GetValueOrDefault(id));
            }
        }

        var candidates = samples.Where(s => !string.IsNullOrWhiteSpace(s.Patch) && !evidence.Problems.ContainsKey(s.Sample)).Select(s => new Candidate(s.Sample, 1, GeneratedTest.WithoutTestFiles(s.Patch!, instance.Artifact), true)).ToList();
        var next = sampleCount + 1;
        var task = instance.Task.ProblemStatement.Length > 0 ? instance.Task.ProblemStatement : "Fix the bug in this repository so that its tests pass.";
        bool PassesAll(Candidate c) => tests.All(t => passes.GetValueOrDefault((c.Id, t.Name)));

        // One more strengthening than revising: the last round's revisions saw the tests they failed, so a test they have
        // not seen is written against them too.
        for (var round = 1; round <= rounds + 1; round++)
        {
            var latest = candidates.Where(c => c.Round == round).ToList();
            if (latest.Count == 0)
            {
                break;
            }

            var directory = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"round-{round}"));
            if (latest.FirstOrDefault(PassesAll) is { } passing)
            {
                var prompt = $"{task.TrimEnd('\n')}\n\nA candidate fix passes every test written so far:\n\n{PatchVerifier.Fenced(passing.Patch, "diff")}\n\n"
                    + "Write a new test that this fix fails if it is wrong or incomplete, and that a correct fix passes.";
                var writer = new TestWriterAgent(sandboxes, model.Client, model.Roles, prompt);
                var (test, episode) = await writer.GenerateAsync(instance.Environment, instance.Artifact, round, Path.Combine(directory, "test"), cancellationToken).ConfigureAwait(false);
                ThrowIfServerFailed(episode.Result!, "the test writer");
                var name = string.Create(CultureInfo.InvariantCulture, $"round-{round}-test");
                if (test is not { Files.Count: > 0 })
                {
                    notes.Add($"{name}: no test ({(test is null ? $"the episode ended with {episode.Result!.Exit}" : "the submission changes no test file")})");
                }
                else if (await StrengthenAsync(runner, evidence.BrokenTreeIds, candidates, test.Patch, name, passes, cancellationToken).ConfigureAwait(false) is { } added)
                {
                    tests.Add(added);
                    progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"infcode round {round}: a stronger test with {added.Cases.Count} case(s)"));
                }
                else
                {
                    notes.Add($"{name}: not kept (it does not apply, adds no case, or does not fail on the broken tree)");
                }
            }

            foreach (var failing in round > rounds ? [] : latest.Where(c => !PassesAll(c)))
            {
                var failed = tests.Where(t => !passes.GetValueOrDefault((failing.Id, t.Name))).ToList();
                var prompt = $"{task.TrimEnd('\n')}\n\nA previous attempt submitted this patch:\n\n{PatchVerifier.Fenced(failing.Patch, "diff")}\n\n"
                    + $"It fails these tests, which are not in the repository (add them to check your fix; they are not graded):\n\n{PatchVerifier.Fenced(string.Concat(failed.Select(t => t.Patch)), "diff")}\n\n"
                    + "Write a corrected fix. The repository starts without the previous patch: submit the whole fix.";
                var solver = new SolverAgent(sandboxes, model.Client, model.Roles) { TaskPrompt = prompt };
                var episode = await solver.PrepareAsync(instance.Environment, instance.Artifact, next, Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"revision-{next}")), cancellationToken).ConfigureAwait(false);
                await solver.RunEpisodeAsync(episode, cancellationToken).ConfigureAwait(false);
                var result = episode.Result!;
                ThrowIfServerFailed(result, "the solver");
                if (result.Exit != Agents.AgentExit.Submitted || string.IsNullOrWhiteSpace(result.Submission))
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"revision of {failing.Id} in round {round}: no patch (the episode ended with {result.Exit})"));
                    continue;
                }

                await File.WriteAllTextAsync(Path.Combine(episode.Directory, "pred_patch.diff"), result.Submission, cancellationToken).ConfigureAwait(false);
                var revision = new Candidate(next++, round + 1, GeneratedTest.WithoutTestFiles(result.Submission, instance.Artifact), false);
                if (string.IsNullOrWhiteSpace(revision.Patch))
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"revision {revision.Id} of {failing.Id}: changes test files only"));
                    continue;
                }

                if (await RunAllAsync(runner, revision, tests, passes, cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add(revision);
                    progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"infcode round {round}: revision {revision.Id} of {failing.Id} passes {tests.Count(t => passes.GetValueOrDefault((revision.Id, t.Name)))}/{tests.Count} tests"));
                }
                else
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"revision {revision.Id} of {failing.Id}: does not apply to the broken tree"));
                }
            }
        }

        var scored = samples.Where(s => !candidates.Any(c => c.Id == s.Sample))
            .Select(s => new InfCodeSelector.Candidate(s.Sample, 1, 0, tests.Count, evidence.Problems.GetValueOrDefault(s.Sample) ?? "no patch"))
            .Concat(candidates.Select(c => new InfCodeSelector.Candidate(c.Id, c.Round, tests.Count(t => passes.GetValueOrDefault((c.Id, t.Name))), tests.Count)))
            .OrderBy(c => c.Sample)
            .ToList();
        return tests.Count == 0
            ? (new SelectionResult(InfCodeSelector.Name, null, [.. InfCodeSelector.Select(scored).Scores], "no generated test fails on the broken tree: there is nothing to choose by"), candidates, notes)
            : (InfCodeSelector.Select(scored), candidates, notes);
    }

    /// <summary>A model server that failed (or cannot be used) is the infrastructure's failure: the choice is made again on resume.</summary>
    private static void ThrowIfServerFailed(Agents.AgentResult result, string who)
    {
        if (result.Exit == Agents.AgentExit.ModelError)
        {
            throw new Llm.ModelServerException(Llm.ModelErrorKind.ServerError, $"{who}'s episode ended on a model server error: {result.Trajectory.ExitDetail}");
        }
    }

    /// <summary>A new test, kept when it applies and a case of it fails on the broken tree; then run under every candidate.</summary>
    private static async Task<Test?> StrengthenAsync(
        GeneratedTestRunner runner, IReadOnlySet<string> brokenTreeIds, IReadOnlyList<Candidate> candidates, string patch, string name, Dictionary<(int, string), bool> passes, CancellationToken cancellationToken)
    {
        try
        {
            var unpatched = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [patch], cancellationToken: cancellationToken).ConfigureAwait(false));
            var cases = unpatched.Tests.Keys.Where(id => !brokenTreeIds.Contains(id)).ToList();
            if (cases.Count == 0 || cases.All(id => unpatched.Tests[id]))
            {
                return null;
            }

            var test = new Test(name, patch, cases);
            foreach (var candidate in candidates)
            {
                passes[(candidate.Id, name)] = await PassesAsync(runner, candidate.Patch, test, cancellationToken).ConfigureAwait(false);
            }

            return test;
        }
        catch (Exception ex) when (ex is DiffApplyException or UnsafePathException)
        {
            return null;
        }
    }

    /// <summary>Runs every test under a new candidate; false when the candidate itself does not apply.</summary>
    private static async Task<bool> RunAllAsync(GeneratedTestRunner runner, Candidate candidate, IReadOnlyList<Test> tests, Dictionary<(int, string), bool> passes, CancellationToken cancellationToken)
    {
        try
        {
            _ = await runner.RunAsync(fixedTree: false, [candidate.Patch], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DiffApplyException or UnsafePathException)
        {
            return false;
        }

        foreach (var test in tests)
        {
            passes[(candidate.Id, test.Name)] = await PassesAsync(runner, candidate.Patch, test, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Every case of <paramref name="test"/> passes under <paramref name="patch"/> (a pair that does not apply together fails).</summary>
    private static async Task<bool> PassesAsync(GeneratedTestRunner runner, string patch, Test test, CancellationToken cancellationToken)
    {
        try
        {
            var run = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [patch, test.Patch], cancellationToken: cancellationToken).ConfigureAwait(false));
            return test.Cases.All(id => run.Tests.GetValueOrDefault(id));
        }
        catch (Exception ex) when (ex is DiffApplyException or UnsafePathException)
        {
            return false;
        }
    }
}
