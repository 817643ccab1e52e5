using System.Globalization;
using Sparring.Repos;

namespace Sparring.Training;

/// <summary>Nebius / SWE-rebench: keep tasks with fewer than 7 changed files and fewer than 500 changed lines.</summary>
public static class TaskSizeFilter
{
    public const string FilterName = "task-size";

    public static FilterResult<TaskDiff> Apply(IEnumerable<TaskDiff> tasks, TaskSizeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        options = (options ?? new TaskSizeOptions()).Validate();
        var kept = new List<TaskDiff>();
        var removed = new List<FilterDecision<TaskDiff>>();
        foreach (var task in tasks)
        {
            var stats = DiffStats.Count(task.Diff);
            var reasons = new List<string>();
            if (stats.Files >= options.ChangedFilesLimit)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{stats.Files} changed files (limit: fewer than {options.ChangedFilesLimit})"));
            }

            if (stats.ChangedLines >= options.ChangedLinesLimit)
            {
                reasons.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{stats.ChangedLines} changed lines, +{stats.AddedLines} −{stats.RemovedLines} (limit: fewer than {options.ChangedLinesLimit})"));
            }

            if (reasons.Count == 0)
            {
                kept.Add(task);
            }
            else
            {
                removed.Add(new FilterDecision<TaskDiff> { Item = task, Filter = FilterName, Reason = string.Join("; ", reasons) });
            }
        }

        return new FilterResult<TaskDiff> { Kept = kept, Removed = removed };
    }
}
