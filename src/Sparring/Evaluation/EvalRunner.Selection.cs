using System.Collections.Concurrent;
using System.Globalization;
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
            foreach (var selector in _options.Selectors)
            {
                if (selections.Entries.LastOrDefault(e => e.InstanceId == task.Id && e.Selector == selector) is { } done && done.Candidates.SequenceEqual(candidates))
                {
                    continue;
                }

                SelectionResult result;
                try
                {
                    var instance = await instances.GetOrAdd(task.Id, _ => new Lazy<Task<EvalInstance>>(() => InstanceAsync(repository, task, cancellationToken))).Value.ConfigureAwait(false);
                    result = await SelectAsync(selector, instance, graded, directory, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsInfrastructure(ex) && !cancellationToken.IsCancellationRequested)
                {
                    result = new SelectionResult(selector, null, [], $"{Kind(ex)}: {ex.Message}");
                }

                cancellationToken.ThrowIfCancellationRequested();
                var chosen = graded.FirstOrDefault(s => s.Sample == result.Chosen);
                selections.Append(new EvalSelection
                {
                    InstanceId = task.Id,
                    Selector = selector,
                    Candidates = candidates,
                    Chosen = result.Chosen,
                    Resolved = chosen?.Outcome == EvalOutcome.Resolved,
                    Score = result.Score,
                    Scores = result.Scores,
                    Problem = result.Problem,
                });
                OnProgress?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"select {selector}: {task.Id}: {(result.Chosen is { } c ? $"sample {c} (score {result.Score:0.####}), {chosen!.Outcome}" : $"nothing chosen ({result.Problem})")}"));
            }
        }

        return [.. selections.Entries.GroupBy(e => (e.InstanceId, e.Selector)).Select(g => g.Last())];
    }

    private static async Task<SelectionResult> SelectAsync(string selector, EvalInstance instance, IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken) => selector switch
    {
        SweSwissSelector.Name => SweSwissSelector.Select(await NormalizedCandidatesAsync(instance, graded, directory, cancellationToken).ConfigureAwait(false)),
        _ => new SelectionResult(selector, null, [], $"the {selector} selector is not built yet in eval (see the README)"),
    };

    /// <summary>Each graded sample's patch as SWE-RL's normalised per-file patches of the instance's broken tree.</summary>
    private static async Task<IReadOnlyList<SweSwissSelector.Candidate>> NormalizedCandidatesAsync(
        EvalInstance instance, IReadOnlyList<EvalSample> graded, string directory, CancellationToken cancellationToken)
    {
        var original = SimilarityReward.FromTree(instance.Environment.Snapshot.TreePath);
        var candidates = new List<SweSwissSelector.Candidate>();
        foreach (var sample in graded)
        {
            var patch = await PatchAsync(sample, directory, cancellationToken).ConfigureAwait(false);
            var (patches, problem) = await SimilarityReward.NormalizedAsync(instance.Artifact, patch, original, cancellationToken).ConfigureAwait(false);
            candidates.Add(new SweSwissSelector.Candidate(sample.Sample, patches, problem));
        }

        return candidates;
    }

    /// <summary>The sample's patch as graded, from the evaluation folder; null when it had none.</summary>
    private static async Task<string?> PatchAsync(EvalSample sample, string directory, CancellationToken cancellationToken) =>
        sample.Patch is { } relative ? await File.ReadAllTextAsync(Sparring.Repos.RepoPaths.Check(directory, relative, "results.jsonl"), cancellationToken).ConfigureAwait(false) : null;
}
