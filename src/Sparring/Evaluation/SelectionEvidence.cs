using System.Globalization;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Selection;
using Sparring.Solving;

namespace Sparring.Evaluation;

/// <summary>
/// What the execution-based selectors learn about one instance's candidates, gathered once and shared: tests the test
/// writer generated (each kept only if it applies and adds cases on the broken tree), every test run on the broken tree
/// alone and under each candidate (its test-file changes dropped, as grading drops them),
/// each candidate's run alone (its regression tests: the broken tree's passing tests still passing), and, for
/// <c>hybrid</c>, the verifier's P(YES). Nothing here looks at the fixed tree or the instance's hidden tests.
/// </summary>
internal sealed class SelectionEvidence
{
    private SelectionEvidence()
    {
    }

    /// <summary>The generated tests with their cases on the broken tree and under each candidate.</summary>
    public List<KimiDevSelector.GeneratedTest> Tests { get; } = [];

    /// <summary>Each generated test's patch, by its name in <see cref="Tests"/>.</summary>
    public Dictionary<string, string> TestPatches { get; } = new(StringComparer.Ordinal);

    /// <summary>The broken tree's own test ids: a generated test's cases are the ids a run reports beyond these.</summary>
    public IReadOnlySet<string> BrokenTreeIds { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Why a candidate is out (no patch, it does not apply), by sample.</summary>
    public Dictionary<int, string> Problems { get; } = [];

    /// <summary>The broken tree's passing tests that still pass under each candidate, by sample.</summary>
    public Dictionary<int, int> RegressionPassed { get; } = [];

    /// <summary>The verifier's P(YES) and how it was made, by sample (hybrid only).</summary>
    public Dictionary<int, (double? Probability, string Detail)> Verifier { get; } = [];

    /// <summary>What happened to the test writer's episodes that gave no usable test.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>The generated tests a candidate passes entirely, among those that fail on the broken tree.</summary>
    public int GeneratedPassed(int sample) => Tests.Count(t =>
        t.Unpatched.Values.Any(passed => !passed)
        && t.Patched.TryGetValue(sample, out var cases) && t.Unpatched.Keys.All(id => cases.GetValueOrDefault(id)));

    public static async Task<SelectionEvidence> GatherAsync(
        ISandboxProvider sandboxes, SelectionModel model, EvalInstance instance, IReadOnlyList<(int Sample, string? Patch)> candidates, string folder, TimeSpan timeout, bool verify,
        Action<string>? progress, CancellationToken cancellationToken)
    {
        var evidence = new SelectionEvidence();
        var runner = new GeneratedTestRunner(sandboxes, instance.Environment, instance.Artifact) { ScriptTimeout = timeout };
        var baseline = await runner.RunAsync(fixedTree: false, [], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (GeneratedTestRunner.Outcomes(baseline).Problem is { } problem)
        {
            throw new InvalidDataException($"the broken tree's own suite says nothing, so no candidate can be compared: {problem}");
        }

        var known = baseline.Tests.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        evidence.BrokenTreeIds = known;
        var passing = GeneratedTestRunner.Outcomes(baseline).Tests.Where(t => t.Value).Select(t => t.Key).ToList();
        var patched = new List<(int Sample, string Patch)>();
        foreach (var (sample, submitted) in candidates)
        {
            // Run as grading would see it: the candidate's own test files do not count (grading puts them back).
            var patch = submitted is null ? null : GeneratedTest.WithoutTestFiles(submitted, instance.Artifact);
            if (string.IsNullOrWhiteSpace(patch))
            {
                evidence.Problems[sample] = submitted is null ? "no patch" : "the patch changes test files only";
                continue;
            }

            try
            {
                var alone = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [patch], cancellationToken: cancellationToken).ConfigureAwait(false));
                evidence.RegressionPassed[sample] = passing.Count(id => alone.Tests.GetValueOrDefault(id));
                patched.Add((sample, patch));
            }
            catch (Exception ex) when (ex is DiffApplyException or UnsafePathException)
            {
                evidence.Problems[sample] = $"the patch does not apply to the broken tree: {ex.Message}";
            }
        }

        var writer = new TestWriterAgent(sandboxes, model.Client, model.Roles, instance.Task.ProblemStatement.Length > 0 ? instance.Task.ProblemStatement : null);
        for (var j = 1; j <= model.Tests; j++)
        {
            var directory = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"test-{j}"));
            var (test, episode) = await writer.GenerateAsync(instance.Environment, instance.Artifact, j, directory, cancellationToken).ConfigureAwait(false);
            if (episode.Result!.Exit == Agents.AgentExit.ModelError)
            {
                // The server's failure, not the writer's answer: the selection is tried again on resume.
                throw new Llm.ModelServerException(Llm.ModelErrorKind.ServerError, $"the test writer's episode {j} ended on a model server error: {episode.Result.Trajectory.ExitDetail}");
            }

            if (test is not { Files.Count: > 0 })
            {
                evidence.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"test {j}: no test ({(test is null ? $"the episode ended with {episode.Result!.Exit}" : "the submission changes no test file")})"));
                continue;
            }

            try
            {
                var unpatched = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [test.Patch], cancellationToken: cancellationToken).ConfigureAwait(false));
                var runs = new Dictionary<int, Rewards.TestWriterReward.Run>();
                foreach (var (sample, patch) in patched)
                {
                    try
                    {
                        runs[sample] = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [patch, test.Patch], cancellationToken: cancellationToken).ConfigureAwait(false));
                    }
                    catch (DiffApplyException)
                    {
                        // The candidate and the test change the same lines: the test says nothing of this candidate.
                        runs[sample] = new Rewards.TestWriterReward.Run(new Dictionary<string, bool>());
                    }
                }

                // The test's cases are what its own run adds to the broken tree's: no candidate can add one.
                var cases = unpatched.Tests.Keys.Where(id => !known.Contains(id)).ToHashSet(StringComparer.Ordinal);
                if (cases.Count == 0)
                {
                    evidence.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"test {j}: adds no test case the suite runs on the broken tree{(unpatched.Problem is { } why ? $" ({why})" : "")}"));
                    continue;
                }

                evidence.TestPatches[string.Create(CultureInfo.InvariantCulture, $"test-{j}")] = test.Patch;
                evidence.Tests.Add(new KimiDevSelector.GeneratedTest(
                    string.Create(CultureInfo.InvariantCulture, $"test-{j}"),
                    cases.ToDictionary(id => id, id => unpatched.Tests.GetValueOrDefault(id), StringComparer.Ordinal),
                    runs.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, bool>)cases.ToDictionary(id => id, id => r.Value.Tests.GetValueOrDefault(id), StringComparer.Ordinal))));
                progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"test {j}: {cases.Count} case(s), {cases.Count(id => !unpatched.Tests.GetValueOrDefault(id))} failing on the broken tree"));
            }
            catch (Exception ex) when (ex is DiffApplyException or UnsafePathException)
            {
                evidence.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"test {j}: does not apply: {ex.Message}"));
            }
        }

        if (verify)
        {
            var task = instance.Task.ProblemStatement.Length > 0 ? instance.Task.ProblemStatement : "(no description: make the repository's tests pass)";
            foreach (var (sample, patch) in patched)
            {
                evidence.Verifier[sample] = await PatchVerifier.ScoreAsync(model.Client, model.Roles.Model, task, patch, cancellationToken).ConfigureAwait(false);
            }
        }

        return evidence;
    }
}
