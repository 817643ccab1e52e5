using Sparring.Rewards;

namespace Sparring.Training;

/// <summary>What <see cref="RunExporter"/> writes and how (validated by <see cref="Validate"/>).</summary>
public sealed record RunExportOptions
{
    /// <summary><c>rl</c>, <c>sft</c> or <c>swebench</c> (<see cref="RunExporter.Formats"/>).</summary>
    public required string Format { get; init; }

    /// <summary>Where the files go (created when missing; files of the same format are replaced).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Roles whose rollouts are exported (<c>rl</c>, <c>sft</c>): <c>solver</c>, <c>injector</c>.</summary>
    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "solver", "injector" };

    /// <summary><c>rl</c>: the advantage estimator (<c>grpo</c>, <c>drgrpo</c>, <c>rloo</c>).</summary>
    public string Estimator { get; init; } = "grpo";

    /// <summary>
    /// <c>rl</c>: the solver's reward, <c>binary</c> (±1 as graded, the default) or <c>similarity</c> (SWE-RL's similarity
    /// of the attempt's patch to the bug's fix, in [0, 1]; −1 for no patch, a malformed one, or a tampered attempt).
    /// </summary>
    public string Reward { get; init; } = SimilarityReward.Binary;

    /// <summary><c>rl</c>: the loss aggregation the batch is meant for, recorded on every line.</summary>
    public LossAggregation LossAggregation { get; init; } = LossAggregation.TokenMean;

    /// <summary><c>rl</c>: the trainer's current policy version for the staleness filter; default the newest in the run.</summary>
    public int? CurrentPolicyVersion { get; init; }

    /// <summary><c>rl</c>: rollouts more than this many versions behind are dropped (SSR: 8).</summary>
    public int MaxStaleness { get; init; } = StalenessFilter.DefaultMaxLag;

    /// <summary><c>rl</c>: compact filtering (mask rollouts cut by a limit); null turns it off.</summary>
    public CompactFilterOptions? Compact { get; init; } = new();

    /// <summary><c>rl</c>: the Nebius step-length penalty; null (the default) leaves rewards as recorded.</summary>
    public StepLengthPenaltyOptions? LengthPenalty { get; init; }

    /// <summary><c>rl</c>: drop groups whose rewards are all equal (DAPO dynamic sampling).</summary>
    public bool DynamicSampling { get; init; } = true;

    /// <summary>
    /// The Nebius / SWE-rebench task-size filter on every format: bugs whose diff reaches a limit are left out, with
    /// their attempts (spec: fewer than 7 files and 500 changed lines). Null (the default) keeps every size.
    /// </summary>
    public TaskSizeOptions? TaskSize { get; init; }

    /// <summary>
    /// Chooses the bugs to export from their solve rates in the run (after the task-size filter): Nebius keeps
    /// 0 &lt; s ≤ 2/3, SWE-Swiss s ≤ 0.9, Kimi-Dev the solved ones plus the unsolved admitted by
    /// <see cref="CurriculumStep"/>. The bugs it leaves out go with their attempts. Null (the default) keeps all.
    /// </summary>
    public ICurriculum? Curriculum { get; init; }

    /// <summary>The training step the <see cref="Curriculum"/> chooses for (Kimi-Dev admits unsolved bugs by step).</summary>
    public int CurriculumStep { get; init; }

    /// <summary>Seeds the curriculum's draws (Kimi-Dev's replay), so the same run exports the same bugs.</summary>
    public int CurriculumSeed { get; init; }

    /// <summary><c>swebench</c> and <c>harbor</c>: the <c>repo</c> field; default the repository's folder name.</summary>
    public string? RepoName { get; init; }

    /// <summary>
    /// <c>swebench</c>: the <c>image</c> field; <c>harbor</c>: the image the task's Dockerfile starts from (it needs git,
    /// python3 and the repository's toolchain). <c>{instance_id}</c> and <c>{repo}</c> are replaced. Null: swebench writes
    /// null, harbor this machine's <c>sparring-base</c> image.
    /// </summary>
    public string? Image { get; init; }

    public RunExportOptions Validate()
    {
        if (!RunExporter.Formats.Contains(Format))
        {
            throw new ArgumentException($"unknown export format '{Format}' (known: {string.Join(", ", RunExporter.Formats)})");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("an output directory is required");
        }

        _ = AdvantageEstimators.Get(Estimator);
        if (!SimilarityReward.Kinds.Contains(Reward))
        {
            throw new ArgumentException($"unknown reward '{Reward}' (known: {string.Join(", ", SimilarityReward.Kinds)})");
        }

        if (LossAggregation.Value is null)
        {
            throw new ArgumentException("the loss aggregation mode is unset");
        }

        if (MaxStaleness < 0 || CurrentPolicyVersion < 0)
        {
            throw new ArgumentException("policy versions and the staleness limit must be at least 0");
        }

        if (Roles.Count == 0 || Roles.Any(r => r is not ("solver" or "injector")))
        {
            throw new ArgumentException($"roles must be solver and/or injector, got '{string.Join(",", Roles)}'");
        }

        Compact?.Validate();
        TaskSize?.Validate();
        if (CurriculumStep < 0)
        {
            throw new ArgumentException($"the curriculum step must be at least 0, got {CurriculumStep}");
        }
        LengthPenalty?.Validate();
        return this;
    }
}
