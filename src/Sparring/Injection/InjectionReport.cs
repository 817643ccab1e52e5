using System.Text.Json.Serialization;

namespace Sparring.Injection;

/// <summary>What an injection run produced: the yield of each strategy and the artifacts written.</summary>
public sealed record InjectionReport
{
    /// <summary>Where <see cref="Injector"/> writes the report, in its output directory.</summary>
    public const string FileName = "inject-report.json";

    /// <summary>Per strategy, in the order they were given.</summary>
    [JsonPropertyName("strategies")]
    public required IReadOnlyList<StrategyYield> Strategies { get; init; }

    /// <summary>The folders written, relative to the output directory, in the order they were found.</summary>
    [JsonPropertyName("artifacts")]
    public required IReadOnlyList<string> Artifacts { get; init; }

    /// <summary>How long one run of the test script took on the original (the SSR prompts ask for under 90 s).</summary>
    [JsonPropertyName("scriptSeconds")]
    public required double ScriptSeconds { get; init; }

    /// <summary>Tests passing on the original: what a bug can break.</summary>
    [JsonPropertyName("baselinePassing")]
    public required int BaselinePassing { get; init; }

    /// <summary>Why nothing could be tried (the suite is too slow or does not pass), or null.</summary>
    [JsonPropertyName("problem")]
    public string? Problem { get; init; }

    [JsonPropertyName("durationSeconds")]
    public required double DurationSeconds { get; init; }

    /// <summary>When the run ended.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>One strategy's yield: candidates tried, how many became valid artifacts, why the others were rejected.</summary>
public sealed record StrategyYield
{
    [JsonPropertyName("strategy")]
    public required string Strategy { get; init; }

    /// <summary>Distinct candidates taken from the strategy.</summary>
    [JsonPropertyName("tried")]
    public required int Tried { get; init; }

    [JsonPropertyName("valid")]
    public required int Valid { get; init; }

    /// <summary>Rejections by reason: a validator check name, or one of <see cref="InjectionRejections"/>.</summary>
    [JsonPropertyName("rejected")]
    public required IReadOnlyDictionary<string, int> Rejected { get; init; }

    /// <summary>Seconds spent on the strategy's candidates divided by its valid artifacts; null when none was valid.</summary>
    [JsonPropertyName("secondsPerValid")]
    public double? SecondsPerValid { get; init; }

    [JsonPropertyName("seconds")]
    public required double Seconds { get; init; }

    /// <summary>Test-suite runs made for the strategy's candidates (each candidate's run and the validator's; not the baseline, not <c>--reject-trivial</c>'s search).</summary>
    [JsonPropertyName("suiteRuns")]
    public int SuiteRuns { get; init; }

    /// <summary><see cref="SuiteRuns"/> divided by the valid artifacts; null when none was valid.</summary>
    [JsonPropertyName("suiteRunsPerValid")]
    public double? SuiteRunsPerValid { get; init; }

    /// <summary>Why the strategy gave up before its candidates ran out (git could not read the history), or null.</summary>
    [JsonPropertyName("stopped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stopped { get; init; }
}

/// <summary>Reasons a candidate is dropped before the validator sees it.</summary>
public static class InjectionRejections
{
    /// <summary>The diff does not apply to the original tree.</summary>
    public const string AppliesNot = "applies-not";

    /// <summary>No baseline-passing test fails with the bug.</summary>
    public const string NoFailingTest = "no-failing-test";

    /// <summary>Every baseline-passing test fails (or the suite no longer runs): the environment is broken, not the behaviour.</summary>
    public const string BreaksEverything = "breaks-everything";

    /// <summary>The suite hung with the bug (ran past ten baseline durations, at least 30 s).</summary>
    public const string TimesOut = "times-out";

    /// <summary>Hiding the bug would delete half or more of the baseline-passing tests.</summary>
    public const string WeakenTooBroad = "weaken-too-broad";

    /// <summary>The failing tests could not all be found and deleted.</summary>
    public const string WeakenFailed = "weaken-failed";

    /// <summary>Valid, but the mutation-search solver fixes it within its small budget (<c>--reject-trivial</c>).</summary>
    public const string Trivial = "trivial";
}
