using Sparring.Internal;
using Sparring.Rewards;
using System.Text;
using System.Text.Json;
using Sparring.Training.Internal;

namespace Sparring.Training;

/// <summary>
/// Turns a self-play run directory into what trainers consume: <c>rl</c> (token-level rollouts with rewards and
/// advantages), <c>sft</c> (successful trajectories as OpenAI chat fine-tuning JSONL) and <c>swebench</c> (valid bugs as
/// SWE-bench instances with a git repository holding their base commits, and solver patches as predictions).
/// </summary>
/// <remarks>
/// Reads the run without its lock, so a run still being written can be exported (what is committed so far). Every
/// file is written to a temporary name and renamed, so a killed export leaves the previous files or none. The same
/// run gives byte-identical files.
/// </remarks>
public static partial class RunExporter
{
    public const string Rl = "rl";
    public const string Sft = "sft";
    public const string SweBench = "swebench";
    public const string Harbor = "harbor";

    public static IReadOnlyList<string> Formats { get; } = [Rl, Sft, SweBench, Harbor];

    /// <summary>Writes the export and its manifest (<c>OUT/&lt;format&gt;.manifest.json</c>), which it returns.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory holds no run.</exception>
    /// <exception cref="InvalidDataException">A trajectory or artifact of the run is unreadable.</exception>
    public static async Task<ExportManifest> ExportAsync(string runDirectory, RunExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var all = await RunContents.LoadAsync(runDirectory, cancellationToken).ConfigureAwait(false);
        var (run, leftOut) = await ExportTasks.SelectAsync(all, options, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(options.OutputDirectory);
        var manifest = options.Format switch
        {
            Rl => await ExportRlAsync(run, options, cancellationToken).ConfigureAwait(false),
            Sft => await ExportSftAsync(run, options, cancellationToken).ConfigureAwait(false),
            Harbor => await ExportHarborAsync(run, options, cancellationToken).ConfigureAwait(false),
            _ => await ExportSweBenchAsync(run, options, cancellationToken).ConfigureAwait(false),
        };
        manifest = ExportTasks.WithDecisions(manifest, all, leftOut, options);
        await AtomicFile.WriteAllTextAsync(
            Path.Combine(options.OutputDirectory, options.Format + ".manifest.json"),
            JsonSerializer.Serialize(manifest, ExportManifestJsonContext.Default.ExportManifest) + "\n",
            cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    private static async Task<ExportManifest> ExportRlAsync(RunContents run, RunExportOptions options, CancellationToken cancellationToken)
    {
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var decisions = new List<string>();
        var all = await run.RolloutsAsync(options.Roles, skipped, cancellationToken).ConfigureAwait(false);
        if (options.Reward == SimilarityReward.Similarity)
        {
            all = await run.WithSimilarityRewardsAsync(all, decisions, cancellationToken).ConfigureAwait(false);
        }

        var sources = new Dictionary<string, RunRollout>(StringComparer.Ordinal);
        var rollouts = new List<Rollout>();
        foreach (var r in all)
        {
            if (r.Trajectory is null || r.TrajectoryPath is null)
            {
                Count(skipped, "no-trajectory");
                continue;
            }

            sources[r.TrajectoryPath] = r;
            rollouts.Add(new Rollout
            {
                Id = r.TrajectoryPath,
                TaskId = r.TaskId,
                GroupId = r.GroupId,
                Reward = r.Reward,
                PolicyVersion = run.PolicyVersion,
                StopReason = new StopReason(r.Exit),
                Steps = r.Turns,
                Tokens = (int)Math.Min(int.MaxValue, r.Trajectory.CompletionTokens),
            });
        }

        var current = options.CurrentPolicyVersion ?? (rollouts.Count == 0 ? run.PolicyVersion : rollouts.Max(r => r.PolicyVersion));
        var stale = StalenessFilter.Apply(rollouts, current, options.MaxStaleness);
        Note(stale, skipped, decisions);
        IReadOnlyList<Rollout> kept = stale.Kept;
        if (options.LengthPenalty is { } penalty)
        {
            var penalized = StepLengthPenalty.Apply(kept, penalty);
            Note(penalized, skipped, decisions);
            kept = penalized.Kept;
        }

        var masked = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (options.Compact is { } compact)
        {
            var filtered = CompactFilter.Apply(kept, compact);
            Note(filtered, skipped, decisions);
            kept = filtered.Kept;
        }

        IReadOnlyList<RolloutGroup> groups = RolloutGroup.Partition(kept);
        if (options.DynamicSampling)
        {
            var sampled = Training.DynamicSampling.Apply(groups);
            foreach (var removed in sampled.Removed)
            {
                skipped[removed.Filter] = skipped.GetValueOrDefault(removed.Filter) + removed.Item.Rollouts.Count;
                decisions.Add($"{removed.Filter}: group {removed.Item.GroupId}: {removed.Reason}");
            }

            groups = sampled.Kept;
        }

        var estimator = AdvantageEstimators.Get(options.Estimator);
        var batch = AdvantageBatch.Create(groups, estimator, options.LossAggregation);
        var lines = new StringBuilder();
        var written = 0;
        var groupsWritten = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in batch.Items)
        {
            var source = sources[item.Rollout.Id!];
            var (records, missing) = RlRecords.Build(item, source.Role, source.Outcome, source.Trajectory!, batch.Estimator, batch.LossAggregation);
            if (records is null)
            {
                Count(skipped, "no-token-ids");
                decisions.Add($"no-token-ids: {item.Rollout.Id}: {missing}");
                continue;
            }

            if (item.Rollout.MaskReason is { } reason)
            {
                Count(masked, reason);
            }

            groupsWritten.Add(item.Rollout.GroupId);
            foreach (var record in records)
            {
                lines.Append(JsonSerializer.Serialize(record, ExportsJsonContext.Default.RlRecord)).Append('\n');
                written++;
            }
        }

        const string FileName = "rl.jsonl";
        await AtomicFile.WriteAllTextAsync(Path.Combine(options.OutputDirectory, FileName), lines.ToString(), cancellationToken).ConfigureAwait(false);
        return new ExportManifest
        {
            Format = Rl,
            Run = run.Directory,
            Files = [FileName],
            Records = written,
            Candidates = all.Count + skipped.GetValueOrDefault("reward-pending"),
            Skipped = skipped,
            Masked = masked,
            Groups = groupsWritten.Count,
            Reward = options.Reward,
            Estimator = batch.Estimator,
            LossAggMode = batch.LossAggregation.Value,
            PolicyVersion = current,
            Decisions = decisions,
        };
    }

    private static void Note(FilterResult<Rollout> result, IDictionary<string, int> skipped, List<string> decisions)
    {
        foreach (var removed in result.Removed)
        {
            Count(skipped, removed.Filter);
            decisions.Add($"{removed.Filter}: {removed.Item.Id}: {removed.Reason}");
        }

        decisions.AddRange(result.Masked.Concat(result.Adjusted).Select(d => $"{d.Filter}: {d.Item.Id}: {d.Reason}"));
    }

    private static void Count(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
}
