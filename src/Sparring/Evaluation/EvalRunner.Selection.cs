using System.Collections.Concurrent;
using System.Globalization;
using Sparring.Grading;
using Sparring.Llm;
using Sparring.Rewards;
using Sparring.Selection;

namespace Sparring.Evaluation;

public sealed partial class EvalRunner
{
    /// <summary>The selection journal in the evaluation folder.</summary>
    public const string SelectionFile = "selection.jsonl";

    /// <summary>
    /// Runs every selector on each instance's graded samples, journaling each choice; a choice already journaled for the
    /// same candidates is kept. Selectors see the candidates' patches and what the selector runs itself, never the grades.
    /// </summary>
    private async Task<IReadOnlyList<EvalSelection>> SelectAsync(
        EvalRepository repository, ConcurrentDictionary<string, Lazy<Task<EvalInstance>>> instances, IReadOnlyList<EvalTask> tasks,
        IReadOnlyList<EvalSample> journal, string directory, CancellationToken cancellationToken)
    {
        using var selections = EvalJournal.OpenSelections(Path.Combine(directory, SelectionFile));
        var finals = EvalReports.Finals(journal);
        foreach (var task in tasks)
        {
            var graded = Enumerable.Range(1, _options.Samples).Select(s => finals.GetValueOrDefault((task.Id, s))).OfType<EvalSample>().Where(s => s.Outcome.Graded).ToList();
            if (graded.Count == 0)
            {
                continue;
            }

            var candidates = graded.Select(s => s.Sample).ToList();
            Lazy<Task<SelectionEvidence>>? evidence = null;
            foreach (var selector in _options.Selectors)
            {
                var settings = SettingsOf(selector);
                if (selections.Entries.LastOrDefault(e => e.InstanceId == task.Id && e.Selector == selector) is { } done
                    && done.Candidates.SequenceEqual(candidates) && done.Settings == settings && done.Problem is null)
                {
                    // Kept: the same candidates, chosen the same way, with an answer (a problem is tried again).
                    continue;
                }

                SelectionResult result;
                IReadOnlyList<string> notes = [];
                bool? revisionResolved = null;
                try
                {
                    var instance = await instances.GetOrAdd(task.Id, _ => new Lazy<Task<EvalInstance>>(() => InstanceAsync(repository, task, cancellationToken))).Value.ConfigureAwait(false);
                    if (selector is KimiDevSelector.Name or HybridSelector.Name or InfCodeSelector.Name && SelectionModel is { } model)
                    {
                        evidence ??= new(() => EvidenceAsync(model, instance, graded, directory, cancellationToken));
                        var gathered = await evidence.Value.ConfigureAwait(false);
                        notes = gathered.Notes;
                        if (selector == InfCodeSelector.Name)
                        {
                            (result, notes, revisionResolved) = await InfCodeAsync(model, instance, gathered, graded, directory, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            result = selector == KimiDevSelector.Name ? KimiDev(graded, gathered) : Hybrid(graded, gathered);
                        }
                    }
                    else
                    {
                        result = await SelectAsync(selector, instance, graded, directory, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (IsInfrastructure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    result = new SelectionResult(selector, null, [], $"{Kind(ex)}: {ex.Message}");
                }
                catch (ModelServerException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    result = new SelectionResult(selector, null, [], $"model: {ex.Message}");
                }

                cancellationToken.ThrowIfCancellationRequested();
                var chosen = graded.FirstOrDefault(s => s.Sample == result.Chosen);
                selections.Append(new EvalSelection
                {
                    InstanceId = task.Id,
                    Selector = selector,
                    Candidates = candidates,
                    Settings = settings,
                    Chosen = result.Chosen,
                    Resolved = revisionResolved ?? chosen?.Outcome == EvalOutcome.Resolved,
                    Score = result.Score,
                    Scores = result.Scores,
                    Problem = result.Problem,
                    Notes = notes,
                });
                OnProgress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"select {selector}: {task.Id}: {(result.Chosen is { } c ? $"{(chosen is null ? "revision" : "sample")} {c} (score {result.Score:0.####}), {(revisionResolved ?? chosen?.Outcome == EvalOutcome.Resolved ? "resolved" : "unresolved")}" : $"nothing chosen ({result.Problem})")}"));
            }
        }

        return Latest(selections.Entries);
    }

    /// <summary>The latest selection of each instance by each selector.</summary>
    private static IReadOnlyList<EvalSelection> Latest(IReadOnlyList<EvalSelection> entries) => [.. entries.GroupBy(e => (e.InstanceId, e.Selector)).Select(g => g.Last())];

    /// <summary>What a selector's choice depends on beside the candidates.</summary>
    private string SettingsOf(string selector) => selector == SweSwissSelector.Name ? ""
        : SelectionModel is not { } model ? "no model"
        : string.Create(CultureInfo.InvariantCulture, $"model={model.Roles.Model} tests={model.Tests}{(selector == InfCodeSelector.Name ? $" rounds={_options.InfCodeRounds}" : "")}");

    private static async Task<SelectionResult> SelectAsync(string selector, EvalInstance instance, IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken) => selector switch
    {
        SweSwissSelector.Name => SweSwissSelector.Select(await NormalizedCandidatesAsync(instance, graded, directory, cancellationToken).ConfigureAwait(false)),
        _ => new SelectionResult(selector, null, [], $"{selector} needs a model for its test writer{(selector == HybridSelector.Name ? " and verifier" : selector == InfCodeSelector.Name ? " and solver" : "")}: give --model-url and --model"),
    };

    /// <summary>
    /// InfCode's loop, and whether its choice is resolved when it is a revision (graded here like a sample: the grade is
    /// the report's, never the selector's).
    /// </summary>
    private async Task<(SelectionResult Result, IReadOnlyList<string> Notes, bool? RevisionResolved)> InfCodeAsync(
        SelectionModel model, EvalInstance instance, SelectionEvidence evidence, IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken)
    {
        var samples = await PatchesAsync(graded, directory, cancellationToken).ConfigureAwait(false);
        var (result, candidates, notes) = await InfCodeLoop.RunAsync(
            _sandboxes, model, instance, evidence, samples, _options.Samples, _options.InfCodeRounds, Path.Combine(directory, "selection", instance.Task.Id, "infcode"), _options.Grading.ScriptTimeout,
            line => OnProgress?.Invoke($"select: {instance.Task.Id}: {line}"), cancellationToken).ConfigureAwait(false);
        if (candidates.FirstOrDefault(c => c.Id == result.Chosen && !c.IsSample) is not { } revision)
        {
            return (result, [.. evidence.Notes, .. notes], null);
        }

        var grade = await new Grader(_sandboxes, _options.Grading with { Targets = Targets(instance.Task) }, _time).GradeAsync(instance.Environment, instance.Artifact, revision.Patch, cancellationToken).ConfigureAwait(false);
        return (result, [.. evidence.Notes, .. notes, string.Create(CultureInfo.InvariantCulture, $"the chosen revision {revision.Id} (round {revision.Round}) was graded {grade.Outcome}")], grade.Solved);
    }

    private async Task<SelectionEvidence> EvidenceAsync(SelectionModel model, EvalInstance instance, IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken)
    {
        var candidates = await PatchesAsync(graded, directory, cancellationToken).ConfigureAwait(false);
        return await SelectionEvidence.GatherAsync(
            _sandboxes, model, instance, candidates, Path.Combine(directory, "selection", instance.Task.Id), _options.Grading.ScriptTimeout, _options.Selectors.Contains(HybridSelector.Name),
            line => OnProgress?.Invoke($"select: {instance.Task.Id}: {line}"), cancellationToken).ConfigureAwait(false);
    }

    private static SelectionResult KimiDev(IReadOnlyList<EvalSample> graded, SelectionEvidence evidence) => KimiDevSelector.Select(
        [.. graded.Select(s => new KimiDevSelector.Candidate(s.Sample, evidence.Problems.GetValueOrDefault(s.Sample)))], evidence.Tests);

    private static SelectionResult Hybrid(IReadOnlyList<EvalSample> graded, SelectionEvidence evidence) => HybridSelector.Select([.. graded.Select(s =>
    {
        var (probability, detail) = evidence.Verifier.GetValueOrDefault(s.Sample);
        return new HybridSelector.Candidate(
            s.Sample, probability, evidence.RegressionPassed.GetValueOrDefault(s.Sample), evidence.GeneratedPassed(s.Sample), evidence.Problems.GetValueOrDefault(s.Sample) ?? (probability is null ? detail : null));
    })]);

    /// <summary>Each graded sample's patch, without its test files, as SWE-RL's normalised per-file patches of the instance's broken tree.</summary>
    private static async Task<IReadOnlyList<SweSwissSelector.Candidate>> NormalizedCandidatesAsync(
        EvalInstance instance, IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken)
    {
        var original = SimilarityReward.FromTree(instance.Environment.Snapshot.TreePath);
        var candidates = new List<SweSwissSelector.Candidate>();
        foreach (var sample in graded)
        {
            // Compared as grading sees them: test-file changes are put back there, so they are no part of a fix.
            var patch = await PatchAsync(sample, directory, cancellationToken).ConfigureAwait(false) is { } submitted ? Solving.GeneratedTest.WithoutTestFiles(submitted, instance.Artifact) : null;
            var (patches, problem) = await SimilarityReward.NormalizedAsync(instance.Artifact, patch, original, cancellationToken).ConfigureAwait(false);
            candidates.Add(new SweSwissSelector.Candidate(sample.Sample, patches, problem));
        }

        return candidates;
    }

    /// <summary>Each graded sample with its patch as graded.</summary>
    private static async Task<List<(int Sample, string? Patch)>> PatchesAsync(IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken)
    {
        var patches = new List<(int Sample, string? Patch)>(graded.Count);
        foreach (var sample in graded)
        {
            patches.Add((sample.Sample, await PatchAsync(sample, directory, cancellationToken).ConfigureAwait(false)));
        }

        return patches;
    }

    /// <summary>The sample's patch as graded, from the evaluation folder; null when it had none.</summary>
    private static async Task<string?> PatchAsync(EvalSample sample, string directory, CancellationToken cancellationToken) =>
        sample.Patch is { } relative ? await File.ReadAllTextAsync(Sparring.Repos.RepoPaths.Check(directory, relative, "results.jsonl"), cancellationToken).ConfigureAwait(false) : null;
}
