using System.Text.Json.Serialization;

namespace Sparring.Evaluation;

/// <summary>
/// What one selector bought: the instances whose chosen sample was resolved, over every instance of the task set, beside
/// pass@1 (a sample at random) and pass@k (an oracle choosing among K).
/// </summary>
public sealed record EvalSelectorSummary(
    [property: JsonPropertyName("selector")] string Selector,
    [property: JsonPropertyName("resolvedInstances")] int ResolvedInstances,
    [property: JsonPropertyName("selectedInstances")] int SelectedInstances,
    [property: JsonPropertyName("resolveRate")] double ResolveRate);
