using System.Globalization;
using Sparring.Artifacts;

namespace Sparring.Training.Internal;

/// <summary>
/// Which of a run's bugs an export keeps: the task-size filter, then the curriculum over the bugs' solve rates. A bug
/// left out takes its solver attempts with it, and every one is counted in the manifest under the filter's name.
/// </summary>
internal static class ExportTasks
{
    public static async Task<(RunContents Run, IReadOnlyList<FilterDecision<string>> LeftOut)> SelectAsync(RunContents run, RunExportOptions options, CancellationToken cancellationToken)
    {
        var leftOut = new List<FilterDecision<string>>();
        var ids = run.Artifacts.Select(a => a.Id).ToList();
        if (options.TaskSize is { } limits)
        {
            var tasks = new List<TaskDiff>();
            foreach (var record in run.Artifacts)
            {
                var artifact = await BugArtifactFiles.LoadAsync(Path.Combine(run.Directory, record.Path), cancellationToken).ConfigureAwait(false);
                tasks.Add(new TaskDiff { TaskId = record.Id, Diff = artifact.BugInjectDiff });
            }

            var sized = TaskSizeFilter.Apply(tasks, limits);
            leftOut.AddRange(sized.Removed.Select(r => new FilterDecision<string> { Item = r.Item.TaskId, Filter = r.Filter, Reason = r.Reason }));
            ids = [.. sized.Kept.Select(t => t.TaskId)];
        }

        if (options.Curriculum is { } curriculum)
        {
            var stats = ids.ToDictionary(id => id, id => Stats(run, id), StringComparer.Ordinal);
            var chosen = curriculum.Select(new CurriculumState { Tasks = stats, Step = options.CurriculumStep, Random = new Random(options.CurriculumSeed) }).ToHashSet(StringComparer.Ordinal);
            leftOut.AddRange(ids.Where(id => !chosen.Contains(id)).Select(id => new FilterDecision<string>
            {
                Item = id,
                Filter = "curriculum",
                Reason = string.Create(CultureInfo.InvariantCulture, $"{curriculum.Name} at step {options.CurriculumStep} did not choose it (solved {stats[id].Solves} of {stats[id].Attempts})"),
            }));
            ids = [.. ids.Where(chosen.Contains)];
        }

        var kept = ids.ToHashSet(StringComparer.Ordinal);
        return (run with { Artifacts = [.. run.Artifacts.Where(a => kept.Contains(a.Id))], Attempts = [.. run.Attempts.Where(a => kept.Contains(a.ArtifactId))] }, leftOut);
    }

    /// <summary>
    /// Counts the bugs left out among the format's candidates: the bugs themselves (swebench) or their solver attempts
    /// (rl, sft), and puts one decision line per bug first.
    /// </summary>
    public static ExportManifest WithDecisions(ExportManifest manifest, RunContents run, IReadOnlyList<FilterDecision<string>> leftOut, RunExportOptions options)
    {
        var skipped = new SortedDictionary<string, int>(manifest.Skipped.ToDictionary(), StringComparer.Ordinal);
        var candidates = 0;
        foreach (var decision in leftOut)
        {
            var count = options.Format == RunExporter.SweBench ? 1 : options.Roles.Contains("solver") ? run.Attempts.Count(a => a.ArtifactId == decision.Item) : 0;
            if (count > 0)
            {
                skipped[decision.Filter] = skipped.GetValueOrDefault(decision.Filter) + count;
                candidates += count;
            }
        }

        return candidates == 0 ? manifest : manifest with
        {
            Candidates = manifest.Candidates + candidates,
            Skipped = skipped,
            Decisions = [.. leftOut.Select(d => $"{d.Filter}: {d.Item}: {d.Reason}"), .. manifest.Decisions],
        };
    }

    private static TaskStats Stats(RunContents run, string id)
    {
        var attempts = run.Attempts.Where(a => a.ArtifactId == id).ToList();
        return new TaskStats { Attempts = attempts.Count, Solves = attempts.Count(a => a.Solved) };
    }
}
