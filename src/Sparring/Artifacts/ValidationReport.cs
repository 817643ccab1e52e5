using System.Text.Json.Serialization;

namespace Sparring.Artifacts;

/// <summary>What validation decided about an artifact, check by check.</summary>
public sealed record ValidationReport
{
    [JsonPropertyName("valid")]
    public required bool Valid { get; init; }

    /// <summary>The first check that failed, or null (written as <c>null</c>, not left out).</summary>
    [JsonPropertyName("failedCheck")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? FailedCheck { get; init; }

    [JsonPropertyName("checks")]
    public required IReadOnlyList<CheckResult> Checks { get; init; }

    /// <summary>Tests that pass on the original repository (the baseline), ordered by id.</summary>
    [JsonPropertyName("baselinePassing")]
    public IReadOnlyList<string> BaselinePassing { get; init; } = [];

    /// <summary>Tests that pass on the original and fail with the bug (F in spec §1.3), ordered by id.</summary>
    [JsonPropertyName("failToPass")]
    public IReadOnlyList<string> FailToPass { get; init; } = [];

    [JsonPropertyName("testRuns")]
    public required int TestRuns { get; init; }

    /// <summary>Wall time of the validation; left out of artifacts written by the injector, whose bytes depend only on the seed.</summary>
    [JsonPropertyName("durationMs")]
    public double? DurationMs { get; init; }
}

/// <summary>One check's verdict and what it rests on (which tests, which files).</summary>
public sealed record CheckResult
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("passed")]
    public required bool Passed { get; init; }

    [JsonPropertyName("evidence")]
    public required string Evidence { get; init; }
}
