using System.Text.Json.Serialization;

namespace Sparring.Evaluation;

/// <summary>
/// What an evaluation found (<c>summary.json</c>): pass@1 and pass@k over instances with enough graded samples, resolved
/// counts, errors apart, and each instance's samples. Errors never enter pass@k: an instance's n counts graded samples only.
/// </summary>
public sealed record EvalSummary
{
    [JsonPropertyName("taskSet")]
    public required string TaskSet { get; init; }

    [JsonPropertyName("format")]
    public required string Format { get; init; }

    /// <summary>The policy's name (<c>model_name_or_path</c>).</summary>
    [JsonPropertyName("policy")]
    public required string Policy { get; init; }

    /// <summary>Samples asked for per instance (K).</summary>
    [JsonPropertyName("samples")]
    public required int Samples { get; init; }

    [JsonPropertyName("instances")]
    public required int Instances { get; init; }

    [JsonPropertyName("gradedSamples")]
    public required int GradedSamples { get; init; }

    [JsonPropertyName("resolvedSamples")]
    public required int ResolvedSamples { get; init; }

    [JsonPropertyName("unresolvedSamples")]
    public required int UnresolvedSamples { get; init; }

    /// <summary>Samples whose last try ended in error (after every retry, or before a resume retries them).</summary>
    [JsonPropertyName("errorSamples")]
    public required int ErrorSamples { get; init; }

    /// <summary>Instances with at least one resolved sample.</summary>
    [JsonPropertyName("resolvedInstances")]
    public required int ResolvedInstances { get; init; }

    /// <summary>Instances with no graded sample at all: every try was an error.</summary>
    [JsonPropertyName("errorInstances")]
    public required IReadOnlyList<string> ErrorInstances { get; init; }

    /// <summary>
    /// Resolved samples over every sample asked for (instances × K), errors and unplayed samples counted as not
    /// resolved: the strict rate, which a policy cannot raise by making its own samples fail as errors.
    /// </summary>
    [JsonPropertyName("resolveRate")]
    public required double ResolveRate { get; init; }

    /// <summary>Mean over instances with a graded sample of resolved / graded.</summary>
    [JsonPropertyName("passAt1")]
    public required double? PassAt1 { get; init; }

    /// <summary>pass@k for k = 1..K, each the mean over instances with at least k graded samples (null when none has).</summary>
    [JsonPropertyName("passAtK")]
    public required IReadOnlyDictionary<string, double?> PassAtKs { get; init; }

    /// <summary>
    /// Per selector (<c>eval --select</c>): instances whose chosen sample was resolved over every instance (an instance
    /// with nothing chosen counts as not resolved). Empty without selectors.
    /// </summary>
    [JsonPropertyName("selection")]
    public IReadOnlyList<EvalSelectorSummary> Selection { get; init; } = [];

    [JsonPropertyName("byRepo")]
    public required IReadOnlyList<EvalGroup> ByRepo { get; init; }

    /// <summary>By the solve rate the instance had in the run it came from (Sparring exports); <c>unknown</c> otherwise.</summary>
    [JsonPropertyName("byDifficulty")]
    public required IReadOnlyList<EvalGroup> ByDifficulty { get; init; }

    [JsonPropertyName("instanceResults")]
    public required IReadOnlyList<EvalInstanceResult> InstanceResults { get; init; }
}
