using System.Text.Json.Serialization;
using Sparring.Testing;

namespace Sparring.Grading;

/// <summary>The verdict on one solver patch: solved or not, and why, test by test.</summary>
public sealed record GradeResult
{
    [JsonPropertyName("solved")]
    public required bool Solved { get; init; }

    /// <summary>Solved, unsolved, or tampered (<see cref="Reasons"/> then names the canary or evidence that showed it).</summary>
    [JsonPropertyName("outcome")]
    public GradeOutcome Outcome => Tampered ? GradeOutcome.Tampered : Solved ? GradeOutcome.Solved : GradeOutcome.Unsolved;

    /// <summary>True when the run's results were shown to be falsified by code under test (never together with <see cref="Solved"/>).</summary>
    [JsonPropertyName("tampered")]
    public bool Tampered { get; init; }

    /// <summary>Why the patch is not solved (empty when solved). Each entry names the defence that decided it.</summary>
    [JsonPropertyName("reasons")]
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>Things worth knowing that did not decide the verdict (an exit code that disagrees in a harmless direction, instrumentation unavailable).</summary>
    [JsonPropertyName("notes")]
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Every baseline-passing test and how it went in the graded run.</summary>
    [JsonPropertyName("tests")]
    public IReadOnlyList<GradedTest> Tests { get; init; } = [];

    /// <summary>Test and test-infrastructure files put back to their original content after the patch.</summary>
    [JsonPropertyName("restored")]
    public IReadOnlyList<string> Restored { get; init; } = [];

    /// <summary>Files the patch added in test locations or as test infrastructure, deleted before the run.</summary>
    [JsonPropertyName("removed")]
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Test files that held canary tests in the graded run (see <see cref="GradeOptions.Canaries"/>).</summary>
    [JsonPropertyName("canaryFiles")]
    public IReadOnlyList<string> CanaryFiles { get; init; } = [];

    /// <summary>The graded run, or null when the patch never reached a run (empty, malformed, does not apply).</summary>
    [JsonPropertyName("run")]
    public TestRun? Run { get; init; }

    [JsonPropertyName("durationMs")]
    public double DurationMs { get; init; }
}

/// <summary>One baseline-passing test in the graded run.</summary>
public sealed record GradedTest
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The parsed status (the worst, if the log names the test more than once); <c>missing</c> when absent.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>The status in Sparring's own report of the run (pytest plugin), when one was used.</summary>
    [JsonPropertyName("reportStatus")]
    public string? ReportStatus { get; init; }

    [JsonPropertyName("passed")]
    public required bool Passed { get; init; }
}
