using System.Text.Json.Serialization;

namespace Sparring.Training;

/// <summary>
/// One task of a <c>swebench</c> export, in SWE-bench's instance format. <see cref="BaseCommit"/> is a real commit of
/// the exported repository (<c>repo.git</c> beside the JSONL) whose tree is the original with the bug injected and
/// the tests weakened; <see cref="Patch"/> takes its source back to the original, <see cref="TestPatch"/> its tests.
/// </summary>
public sealed record SweBenchInstance
{
    [JsonPropertyName("instance_id")]
    public required string InstanceId { get; init; }

    [JsonPropertyName("repo")]
    public required string Repo { get; init; }

    [JsonPropertyName("base_commit")]
    public required string BaseCommit { get; init; }

    /// <summary>The fix (the gold patch): source files only.</summary>
    [JsonPropertyName("patch")]
    public required string Patch { get; init; }

    /// <summary>Restores the removed or weakened tests: test files only.</summary>
    [JsonPropertyName("test_patch")]
    public required string TestPatch { get; init; }

    /// <summary>The SSR solver prompt: the restored tests, no natural-language issue (spec §1.4).</summary>
    [JsonPropertyName("problem_statement")]
    public required string ProblemStatement { get; init; }

    [JsonPropertyName("hints_text")]
    public string HintsText { get; init; } = "";

    [JsonPropertyName("created_at")]
    public required string CreatedAt { get; init; }

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary>The unmodified commit the bug was injected into (its dependencies are what the environment needs).</summary>
    [JsonPropertyName("environment_setup_commit")]
    public required string EnvironmentSetupCommit { get; init; }

    [JsonPropertyName("FAIL_TO_PASS")]
    public required IReadOnlyList<string> FailToPass { get; init; }

    [JsonPropertyName("PASS_TO_PASS")]
    public required IReadOnlyList<string> PassToPass { get; init; }

    /// <summary>The container image the harness runs the instance in: the <c>--image</c> given to the export, else null.</summary>
    [JsonPropertyName("image")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Image { get; init; }

    /// <summary>Bash, run from the repository root after the model patch is applied: restores the tests, runs the suite between SWE-bench's output markers.</summary>
    [JsonPropertyName("eval_script")]
    public required string EvalScript { get; init; }

    /// <summary>How to read the log: a Sparring built-in parser name (docs/testing.md) or <c>ssr-script</c> with <see cref="LogParserScript"/>.</summary>
    [JsonPropertyName("log_parser")]
    public required string LogParser { get; init; }

    /// <summary>The artifact's <c>test_parser.py</c> when <see cref="LogParser"/> is <c>ssr-script</c>: log on stdin, JSON id → status on stdout.</summary>
    [JsonPropertyName("log_parser_script")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? LogParserScript { get; init; }

    /// <summary>Sparring's own fields: strategy, order, the artifact's folder in the run.</summary>
    [JsonPropertyName("sparring")]
    public required SweBenchProvenance Sparring { get; init; }
}

/// <summary>Where an exported instance came from.</summary>
public sealed record SweBenchProvenance(
    [property: JsonPropertyName("artifact_id")] string ArtifactId,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("artifact_path")] string ArtifactPath,
    [property: JsonPropertyName("solve_rate")] double? SolveRate);

/// <summary>One line of a SWE-bench predictions file.</summary>
public sealed record SweBenchPrediction(
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("model_name_or_path")] string ModelNameOrPath,
    [property: JsonPropertyName("model_patch")] string ModelPatch);
