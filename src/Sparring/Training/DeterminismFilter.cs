using System.Globalization;
using Sparring.Testing;

namespace Sparring.Training;

/// <summary>
/// Nebius / SWE-rebench determinism check: run each task's tests N times on the same code and drop tasks whose
/// outcomes differ (flaky), naming the tests that flipped. A test missing from some runs but present in others
/// has flipped (missing is an outcome). Statuses compare as <see cref="TestStatus"/> values.
/// </summary>
public static class DeterminismFilter
{
    public const string FilterName = "determinism";

    public static FilterResult<TaskTestRuns> Apply(IEnumerable<TaskTestRuns> tasks, DeterminismOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        options = (options ?? new DeterminismOptions()).Validate();
        var kept = new List<TaskTestRuns>();
        var removed = new List<FilterDecision<TaskTestRuns>>();
        foreach (var task in tasks)
        {
            string? reason = null;
            if (task.Runs.Count < options.MinRuns)
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"{task.Runs.Count} runs; determinism needs at least {options.MinRuns}");
            }
            else
            {
                var flipped = FindFlips(task);
                if (flipped.Count > 0)
                {
                    reason = string.Create(
                        CultureInfo.InvariantCulture,
                        $"flaky over {task.Runs.Count} runs: {string.Join("; ", flipped.Select(f => $"{f.TestId} [{string.Join(", ", f.Statuses.Select(s => s?.Value ?? "missing"))}]"))}");
                }
            }

            if (reason is null)
            {
                kept.Add(task);
            }
            else
            {
                removed.Add(new FilterDecision<TaskTestRuns> { Item = task, Filter = FilterName, Reason = reason });
            }
        }

        return new FilterResult<TaskTestRuns> { Kept = kept, Removed = removed };
    }

    /// <summary>The tests whose status is not the same in every run, by ordinal id.</summary>
    public static IReadOnlyList<FlippedTest> FindFlips(TaskTestRuns task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var ids = new SortedSet<string>(task.Runs.SelectMany(r => r.Keys), StringComparer.Ordinal);
        var flipped = new List<FlippedTest>();
        foreach (var id in ids)
        {
            var statuses = task.Runs.Select(r => r.TryGetValue(id, out var s) ? s : (TestStatus?)null).ToList();
            if (statuses.Any(s => s != statuses[0]))
            {
                flipped.Add(new FlippedTest { TestId = id, Statuses = statuses });
            }
        }

        return flipped;
    }
}
