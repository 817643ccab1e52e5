using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sparring.Rewards;
using Sparring.Sandboxes;
using Sparring.Store;
using Sparring.Testing;
using Sparring.Training;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring export RUN_DIR --format rl|sft|swebench|harbor</c>: training data and task sets from a self-play run.</summary>
internal static class ExportCommand
{
    public static Command Create(CliConsole console)
    {
        var run = new Argument<string>("run") { Description = "The self-play run directory (it may still be running: what is committed is exported)." };
        var format = new Option<string>("--format") { Description = "rl (token-level rollouts with rewards and advantages), sft (successful trajectories, OpenAI chat format), swebench (instances, base commits, predictions) or harbor (Harbor task directories).", Required = true };
        var output = new Option<string?>("--out") { Description = "Output directory (default RUN_DIR/exports/<format>)." };
        var roles = new Option<string>("--roles") { Description = "rl, sft: the roles exported, comma-separated: solver, injector.", DefaultValueFactory = _ => "solver,injector" };
        var estimator = new Option<string>("--estimator") { Description = "rl: grpo, drgrpo or rloo.", DefaultValueFactory = _ => "grpo" };
        var reward = new Option<string>("--reward") { Description = "rl: the solver's reward: binary (+1 solved, -1 otherwise, as graded) or similarity (SWE-RL: the difflib similarity of the attempt's patch to the bug's fix, -1 for no, malformed or tampered patches).", DefaultValueFactory = _ => SimilarityReward.Binary };
        var lossAgg = new Option<string>("--loss-agg-mode") { Description = "rl: the loss aggregation recorded with the batch (token-mean, seq-mean-token-sum, seq-mean-token-mean, …).", DefaultValueFactory = _ => LossAggregation.TokenMean.Value };
        var policyVersion = new Option<int?>("--policy-version") { Description = "rl: the trainer's current policy version for the staleness filter (default: the newest in the run)." };
        var maxStaleness = new Option<int>("--max-staleness") { Description = "rl: drop rollouts more than this many policy versions behind.", DefaultValueFactory = _ => StalenessFilter.DefaultMaxLag };
        var noCompact = new Option<bool>("--no-compact") { Description = "rl: do not mask rollouts cut off by a turn, token or time limit." };
        var lengthPenalty = new Option<string?>("--length-penalty") { Description = "rl: the Nebius step-length penalty as L_THR:T_MAX in turns (e.g. 40:50); off by default." };
        var keepZeroVariance = new Option<bool>("--keep-zero-variance") { Description = "rl: keep groups whose rewards are all equal (dynamic sampling drops them by default)." };
        var repoName = new Option<string?>("--repo-name") { Description = "swebench, harbor: the repo field (default: the repository's folder name)." };
        var image = new Option<string?>("--image") { Description = "swebench: the image field; harbor: the image each task's Dockerfile starts FROM; {instance_id} and {repo} are replaced (default: the repository image built for the run, if any; else swebench null, harbor this machine's sparring-base image)." };
        var maxFiles = new Option<int?>("--max-files") { Description = "Leave out bugs whose diff changes more files than this, with their attempts (Nebius / SWE-rebench: 6). Default: no limit." };
        var maxLines = new Option<int?>("--max-lines") { Description = "Leave out bugs whose diff changes more lines (added plus removed) than this, with their attempts (Nebius / SWE-rebench: 499). Default: no limit." };
        var curriculum = new Option<string?>("--curriculum") { Description = "Export only the bugs a curriculum chooses from their solve rates in the run: nebius (0 < s <= 2/3), swe-swiss (s <= 0.9) or kimi-dev (solved, plus unsolved admitted by --curriculum-step)." };
        var curriculumStep = new Option<int>("--curriculum-step") { Description = "The training step the curriculum chooses for (kimi-dev admits 500 unsolved bugs per 100 steps).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the manifest as JSON on stdout." };
        var command = new Command("export", "Export a self-play run as training data or tasks: rl (token ids, loss masks, logprobs, rewards, advantages), sft (successful trajectories), swebench (instances with real base commits, and predictions) or harbor (task directories). Exit 0 when something was written, 1 when nothing was.")
        {
            run, format, output, roles, estimator, reward, lossAgg, policyVersion, maxStaleness, noCompact, lengthPenalty, keepZeroVariance, repoName, image, maxFiles, maxLines, curriculum, curriculumStep, json,
        };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var directory = Path.GetFullPath(result.GetValue(run)!);
            var chosen = result.GetValue(format)!;
            var imageName = result.GetValue(image);
            if (chosen is "swebench" or "harbor" && imageName is null && await BuiltImagesAsync(directory, cancellationToken).ConfigureAwait(false) is { Count: > 0 } built)
            {
                imageName = built[0];
                await console.Error.WriteLineAsync($"sparring: export: image {imageName} (built for the run's repository and commit{(built.Count > 1 ? $"; the newest of {built.Count}, --image chooses another" : "")})").ConfigureAwait(false);
            }
            else if (chosen == "harbor" && imageName is null)
            {
                imageName = DockerImageRecipe.ForThisMachine().Reference;
                await console.Error.WriteLineAsync($"sparring: export: image {imageName} (this machine's base image: `sparring images build` makes it; --image chooses another)").ConfigureAwait(false);
            }

            var options = new RunExportOptions
            {
                Format = chosen,
                OutputDirectory = result.GetValue(output) is { } o ? Path.GetFullPath(o) : Path.Combine(directory, "exports", chosen),
                Roles = result.GetValue(roles)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
                Estimator = result.GetValue(estimator)!,
                Reward = result.GetValue(reward)!,
                LossAggregation = new LossAggregation(result.GetValue(lossAgg)!),
                CurrentPolicyVersion = result.GetValue(policyVersion),
                MaxStaleness = result.GetValue(maxStaleness),
                Compact = result.GetValue(noCompact) ? null : new CompactFilterOptions(),
                LengthPenalty = result.GetValue(lengthPenalty) is { } penalty ? ParsePenalty(penalty) : null,
                DynamicSampling = !result.GetValue(keepZeroVariance),
                RepoName = result.GetValue(repoName),
                Image = imageName,
                TaskSize = TaskSize(result.GetValue(maxFiles), result.GetValue(maxLines)),
                Curriculum = result.GetValue(curriculum) is { } name ? Curricula.ByName(name) : null,
                CurriculumStep = result.GetValue(curriculumStep),
            }.Validate();
            var manifest = await RunExporter.ExportAsync(directory, options, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(manifest, CliJsonContext.Default.ExportManifest)).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, manifest, options.OutputDirectory).ConfigureAwait(false);
            }

            if (manifest.Records == 0)
            {
                await console.Error.WriteLineAsync($"sparring: export: nothing to export ({Hint(manifest)})").ConfigureAwait(false);
                return ExitCodes.TestsFailed;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The images <c>sparring images build --repo</c> made for the run's repository and commit on the local engine,
    /// newest first; none when there is no engine or the run does not say its repository.
    /// </summary>
    private static async Task<IReadOnlyList<string>> BuiltImagesAsync(string directory, CancellationToken cancellationToken)
    {
        if (!RunStores.Exists(directory))
        {
            return [];
        }

        try
        {
            await using var store = await RunStores.OpenReadOnlyAsync(directory, cancellationToken).ConfigureAwait(false);
            var repository = await store.GetMetaAsync(RunMetaKeys.Repository, cancellationToken).ConfigureAwait(false);
            var commit = await store.GetMetaAsync(RunMetaKeys.Commit, cancellationToken).ConfigureAwait(false);
            if (repository is null || commit is null)
            {
                return [];
            }

            using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quick.CancelAfter(TimeSpan.FromSeconds(5));
            return await RepositoryImages.FindAsync([DockerSandboxSettings.DefaultHost], repository, commit, quick.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No engine here, or it does not answer: the export names no image, as without one.
            return [];
        }
    }

    /// <summary>The task-size limits as the filter takes them (exclusive bounds), or null when neither option is given.</summary>
    private static TaskSizeOptions? TaskSize(int? maxFiles, int? maxLines)
    {
        if (maxFiles < 1 || maxLines < 1)
        {
            throw new ArgumentException($"--max-files and --max-lines must be at least 1, got {maxFiles?.ToString(CultureInfo.InvariantCulture) ?? "-"} and {maxLines?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        }

        return maxFiles is null && maxLines is null
            ? null
            : new TaskSizeOptions { ChangedFilesLimit = Exclusive(maxFiles), ChangedLinesLimit = Exclusive(maxLines) };
    }

    private static int Exclusive(int? inclusiveMax) => inclusiveMax is { } max ? (int)Math.Min((long)max + 1, int.MaxValue) : int.MaxValue;

    private static StepLengthPenaltyOptions ParsePenalty(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var threshold) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var max))
        {
            throw new ArgumentException($"--length-penalty must be L_THR:T_MAX (two whole numbers of turns), got '{text}'");
        }

        return new StepLengthPenaltyOptions { LengthThreshold = threshold, MaxLength = max, Unit = TrajectoryLengthUnit.Steps }.Validate();
    }

    /// <summary>Why an export came out empty, in words a user can act on.</summary>
    private static string Hint(ExportManifest manifest)
    {
        if (manifest.Candidates == 0)
        {
            return manifest.Format == RunExporter.SweBench ? "the run has no valid bug yet" : "the run has no rollout of the chosen roles yet";
        }

        var reasons = string.Join(", ", manifest.Skipped.Select(s => $"{s.Value} {s.Key}"));
        return manifest.Skipped.ContainsKey("no-trajectory") && manifest.Format != RunExporter.SweBench
            ? $"{reasons}; the mutation-search solver records no trajectory: run selfplay with --solver llm for rl and sft data"
            : reasons;
    }

    private static async Task PrintAsync(TextWriter output, ExportManifest m, string directory)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{m.Format}: {m.Records} record(s) from {m.Candidates} candidate(s)")).ConfigureAwait(false);
        if (m.Groups is { } groups)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"groups {groups}, reward {m.Reward}, estimator {m.Estimator}, loss_agg_mode {m.LossAggMode}, policy version {m.PolicyVersion}")).ConfigureAwait(false);
        }

        if (m.Skipped.Count > 0)
        {
            await output.WriteLineAsync("skipped: " + string.Join(", ", m.Skipped.Select(s => $"{s.Key} {s.Value}"))).ConfigureAwait(false);
        }

        if (m.Masked is { Count: > 0 } masked)
        {
            await output.WriteLineAsync("masked: " + string.Join(", ", masked.Select(s => $"{s.Key} {s.Value}"))).ConfigureAwait(false);
        }

        foreach (var file in m.Files)
        {
            await output.WriteLineAsync(Path.Combine(directory, file)).ConfigureAwait(false);
        }
    }
}
