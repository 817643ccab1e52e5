using System.Globalization;
using System.Text;
using System.Text.Json;
using Sparring.Internal;
using Sparring.Training;

namespace Sparring.Evaluation;

/// <summary>
/// What an evaluation writes from its journal: <c>summary.json</c> and <c>report.html</c>, and per sample N the shapes
/// SWE-bench's own harness writes, so dashboards that read it read these: <c>predictions/sample-N.jsonl</c>,
/// <c>logs/run_evaluation/sample-N/MODEL/INSTANCE/report.json</c> and the run report <c>MODEL.sample-N.json</c>.
/// Written whole from the journal every time, so the same journal always gives the same files.
/// </summary>
public static class EvalReports
{
    /// <summary>The final try of each sample: its graded try, else its last error; samples never tried are absent.</summary>
    public static IReadOnlyDictionary<(string Instance, int Sample), EvalSample> Finals(IReadOnlyList<EvalSample> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return journal.GroupBy(e => (e.InstanceId, e.Sample))
            .ToDictionary(g => g.Key, g => g.FirstOrDefault(e => e.Outcome.Graded) ?? g.Last());
    }

    /// <summary>The summary of <paramref name="journal"/>, with each selector's choices when <paramref name="selections"/> holds any.</summary>
    public static EvalSummary Summarize(
        string taskSet, string format, string policy, int samples, IReadOnlyList<EvalTask> tasks, IReadOnlyList<EvalSample> journal, IReadOnlyList<EvalSelection>? selections = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        selections ??= [];
        var finals = Finals(journal);
        var instances = new List<EvalInstanceResult>();
        foreach (var task in tasks)
        {
            var mine = Enumerable.Range(1, samples).Select(s => finals.GetValueOrDefault((task.Id, s))).OfType<EvalSample>().ToList();
            var graded = mine.Count(s => s.Outcome.Graded);
            var resolved = mine.Count(s => s.Outcome == EvalOutcome.Resolved);
            var tries = journal.Where(e => e.InstanceId == task.Id && e.Sample <= samples).ToList();
            instances.Add(new EvalInstanceResult
            {
                Id = task.Id,
                Repo = task.Repo,
                SolveRate = task.SolveRate,
                Samples = mine,
                Selections = [.. selections.Where(e => e.InstanceId == task.Id)],
                Graded = graded,
                Resolved = resolved,
                Errors = mine.Count(s => s.Outcome == EvalOutcome.Error),
                PassAt1 = graded > 0 ? (double)resolved / graded : null,
                Seconds = Math.Round(tries.Sum(e => e.DurationMs) / 1000, 3),
                Tokens = tries.Sum(e => e.Tokens),
            });
        }

        var passAtK = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        for (var k = 1; k <= samples; k++)
        {
            var eligible = instances.Where(i => i.Graded >= k).ToList();
            passAtK[k.ToString(CultureInfo.InvariantCulture)] = eligible.Count == 0 ? null : eligible.Average(i => PassAtK.Estimate(i.Graded, i.Resolved, k));
        }

        return new EvalSummary
        {
            TaskSet = taskSet,
            Format = format,
            Policy = policy,
            Samples = samples,
            Instances = tasks.Count,
            GradedSamples = instances.Sum(i => i.Graded),
            ResolvedSamples = instances.Sum(i => i.Resolved),
            UnresolvedSamples = instances.Sum(i => i.Graded - i.Resolved),
            ErrorSamples = instances.Sum(i => i.Errors),
            ResolvedInstances = instances.Count(i => i.Resolved > 0),
            ErrorInstances = [.. instances.Where(i => i.Graded == 0 && i.Errors > 0).Select(i => i.Id)],
            ResolveRate = tasks.Count == 0 ? 0 : (double)instances.Sum(i => i.Resolved) / (tasks.Count * samples),
            PassAt1 = Mean(instances),
            PassAtKs = passAtK,
            Selection = [.. selections.Select(e => e.Selector).Distinct(StringComparer.Ordinal).Select(selector =>
            {
                var mine = selections.Where(e => e.Selector == selector && tasks.Any(t => t.Id == e.InstanceId)).ToList();
                var resolved = mine.Count(e => e.Resolved);
                return new EvalSelectorSummary(selector, resolved, mine.Count(e => e.Chosen is not null), tasks.Count == 0 ? 0 : (double)resolved / tasks.Count);
            })],
            ByRepo = Groups(instances, i => i.Repo),
            ByDifficulty = Groups(instances, i => Difficulty(i.SolveRate)),
            InstanceResults = instances,
        };
    }

    /// <summary>The difficulty bucket of a source-run solve rate.</summary>
    public static string Difficulty(double? solveRate) => solveRate switch
    {
        null => "unknown",
        <= 0 => "0 (never solved)",
        <= 1.0 / 3 => "(0, 1/3]",
        <= 2.0 / 3 => "(1/3, 2/3]",
        < 1 => "(2/3, 1)",
        _ => "1 (always solved)",
    };

    /// <summary>Writes every report of the evaluation into <paramref name="directory"/>.</summary>
    /// <param name="directory">The evaluation folder.</param>
    /// <param name="summary">From <see cref="Summarize"/>.</param>
    /// <param name="tasks">The task set, in order.</param>
    /// <param name="journal">Every try.</param>
    /// <param name="submitted">Whether sample N named the instance at all (predictions); null: every instance was.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public static async Task WriteAsync(string directory, EvalSummary summary, IReadOnlyList<EvalTask> tasks, IReadOnlyList<EvalSample> journal, Func<int, string, bool>? submitted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(tasks);
        var finals = Finals(journal);
        var model = EvalPaths.ModelFolder(summary.Policy);
        for (var sample = 1; sample <= summary.Samples; sample++)
        {
            var runId = string.Create(CultureInfo.InvariantCulture, $"sample-{sample}");
            var predictions = new StringBuilder();
            var ids = new RunIds();
            foreach (var task in tasks)
            {
                var final = finals.GetValueOrDefault((task.Id, sample));
                if (final is null || !(submitted?.Invoke(sample, task.Id) ?? true))
                {
                    ids.Incomplete.Add(task.Id);
                    continue;
                }

                ids.Submitted.Add(task.Id);
                var patch = final.Patch is { } p ? await File.ReadAllTextAsync(Path.Combine(directory, p), cancellationToken).ConfigureAwait(false) : null;
                if (final.Outcome.Graded)
                {
                    // Only graded samples are predictions: an error says nothing about the policy.
                    predictions.Append(JsonSerializer.Serialize(new SweBenchPrediction(task.Id, summary.Policy, patch ?? ""), EvaluationJsonContext.Default.SweBenchPrediction)).Append('\n');
                }

                if (final.Outcome == EvalOutcome.Error)
                {
                    ids.Error.Add(task.Id);
                    continue;
                }

                if (string.IsNullOrEmpty(patch))
                {
                    ids.EmptyPatch.Add(task.Id);
                    continue;
                }

                ids.Completed.Add(task.Id);
                (final.Outcome == EvalOutcome.Resolved ? ids.Resolved : ids.Unresolved).Add(task.Id);
                var report = Path.Combine(directory, "logs", "run_evaluation", runId, model, task.Id, "report.json");
                await AtomicFile.WriteAllTextAsync(report, InstanceReport(task.Id, final), cancellationToken).ConfigureAwait(false);
            }

            await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "predictions", runId + ".jsonl"), predictions.ToString(), cancellationToken).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(Path.Combine(directory, $"{model}.{runId}.json"), RunReport(tasks.Count, ids), cancellationToken).ConfigureAwait(false);
        }

        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(summary, EvalSummaryJsonContext.Default.EvalSummary), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "report.html"), EvalReportPage.Render(summary), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SWE-bench's per-instance <c>report.json</c>, key for key, indented by four as the harness writes it.</summary>
    internal static string InstanceReport(string instanceId, EvalSample sample)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject(instanceId);
            json.WriteBoolean("patch_is_None", false);
            json.WriteBoolean("patch_exists", true);
            json.WriteBoolean("patch_successfully_applied", sample.PatchApplied);
            json.WriteBoolean("resolved", sample.Outcome == EvalOutcome.Resolved);
            json.WriteStartObject("tests_status");
            Outcomes(json, "FAIL_TO_PASS", sample.FailToPass);
            Outcomes(json, "PASS_TO_PASS", sample.PassToPass);
            Outcomes(json, "FAIL_TO_FAIL", new TestOutcomes([], []));
            Outcomes(json, "PASS_TO_FAIL", new TestOutcomes([], []));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>SWE-bench's run report (schema version 2), key for key.</summary>
    private static string RunReport(int total, RunIds ids)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("total_instances", total);
            json.WriteNumber("submitted_instances", ids.Submitted.Count);
            json.WriteNumber("completed_instances", ids.Completed.Count);
            json.WriteNumber("resolved_instances", ids.Resolved.Count);
            json.WriteNumber("unresolved_instances", ids.Unresolved.Count);
            json.WriteNumber("empty_patch_instances", ids.EmptyPatch.Count);
            json.WriteNumber("error_instances", ids.Error.Count);
            Ids(json, "completed_ids", ids.Completed);
            Ids(json, "incomplete_ids", ids.Incomplete);
            Ids(json, "empty_patch_ids", ids.EmptyPatch);
            Ids(json, "submitted_ids", ids.Submitted);
            Ids(json, "resolved_ids", ids.Resolved);
            Ids(json, "unresolved_ids", ids.Unresolved);
            Ids(json, "error_ids", ids.Error);
            json.WriteNumber("schema_version", 2);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Outcomes(Utf8JsonWriter json, string name, TestOutcomes outcomes)
    {
        json.WriteStartObject(name);
        Ids(json, "success", outcomes.Success, sort: false);
        Ids(json, "failure", outcomes.Failure, sort: false);
        json.WriteEndObject();
    }

    private static void Ids(Utf8JsonWriter json, string name, IEnumerable<string> ids, bool sort = true)
    {
        json.WriteStartArray(name);
        foreach (var id in sort ? ids.Order(StringComparer.Ordinal) : ids)
        {
            json.WriteStringValue(id);
        }

        json.WriteEndArray();
    }

    private static double? Mean(IEnumerable<EvalInstanceResult> instances)
    {
        var rated = instances.Where(i => i.PassAt1 is not null).ToList();
        return rated.Count == 0 ? null : rated.Average(i => i.PassAt1!.Value);
    }

    private static List<EvalGroup> Groups(List<EvalInstanceResult> instances, Func<EvalInstanceResult, string> key) =>
        [.. instances.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new EvalGroup(
            g.Key, g.Count(), g.Count(i => i.Resolved > 0), g.Count(i => i.Graded == 0 && i.Errors > 0), Mean(g)))];

    private sealed class RunIds
    {
        public List<string> Submitted { get; } = [];

        public List<string> Completed { get; } = [];

        public List<string> Incomplete { get; } = [];

        public List<string> EmptyPatch { get; } = [];

        public List<string> Resolved { get; } = [];

        public List<string> Unresolved { get; } = [];

        public List<string> Error { get; } = [];
    }
}
