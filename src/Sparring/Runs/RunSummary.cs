using System.Text.Json.Serialization;
using Sparring.Injection;

namespace Sparring.Runs;

/// <summary>The totals of a self-play run, written to <c>RUN_DIR/summary.json</c> and drawn by the report.</summary>
/// <remarks>Holds no wall-clock timestamps outside <see cref="SecondsByStage"/>, so an interrupted and resumed run can be compared with an uninterrupted one.</remarks>
public sealed record RunSummary
{
    [JsonPropertyName("repository")]
    public required string Repository { get; init; }

    [JsonPropertyName("commit")]
    public required string Commit { get; init; }

    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    [JsonPropertyName("injector")]
    public required string Injector { get; init; }

    [JsonPropertyName("solver")]
    public required string Solver { get; init; }

    /// <summary>Rounds completed.</summary>
    [JsonPropertyName("rounds")]
    public required int Rounds { get; init; }

    /// <summary>Bug candidates tried by the injector (valid or not), over all rounds.</summary>
    [JsonPropertyName("bugsTried")]
    public required int BugsTried { get; init; }

    [JsonPropertyName("valid")]
    public required int Valid { get; init; }

    /// <summary>Rejected candidates by validation check (or injector rejection reason).</summary>
    [JsonPropertyName("rejectedByCheck")]
    public required IReadOnlyDictionary<string, int> RejectedByCheck { get; init; }

    [JsonPropertyName("attempts")]
    public required int Attempts { get; init; }

    [JsonPropertyName("solved")]
    public required int Solved { get; init; }

    /// <summary>Attempts graded tampered (the patch falsified the test results); they are not solved and count against <see cref="SolveRate"/>.</summary>
    [JsonPropertyName("tampered")]
    public int Tampered { get; init; }

    /// <summary>Solved attempts over all attempts (tampered ones included in the denominator).</summary>
    [JsonPropertyName("solveRate")]
    public required double SolveRate { get; init; }

    /// <summary>Mean reward per role: <c>solver</c> (±1 per attempt) and <c>injector</c> (spec §1.5, per candidate tried: −1 for each rejected one, the bug's reward for each valid one).</summary>
    [JsonPropertyName("meanReward")]
    public required IReadOnlyDictionary<string, double> MeanReward { get; init; }

    /// <summary>Seconds spent per stage (<c>inject</c>, <c>solve</c>, <c>higher-order</c>), summed over work units.</summary>
    [JsonPropertyName("secondsByStage")]
    public required IReadOnlyDictionary<string, double> SecondsByStage { get; init; }

    /// <summary>Solve rate per strategy and order.</summary>
    [JsonPropertyName("byStrategy")]
    public required IReadOnlyList<StrategySummary> ByStrategy { get; init; }

    /// <summary>Every valid bug, in the order they were made.</summary>
    [JsonPropertyName("bugs")]
    public required IReadOnlyList<BugSummary> Bugs { get; init; }
}

/// <summary>Solve rate of the bugs of one strategy and order, and how many of their attempts were graded tampered.</summary>
public sealed record StrategySummary(
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("bugs")] int Bugs,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("solved")] int Solved,
    [property: JsonPropertyName("solveRate")] double SolveRate,
    [property: JsonPropertyName("tampered")] int Tampered = 0);

/// <summary>One valid bug of the run and how the solver did on it.</summary>
public sealed record BugSummary
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("round")]
    public required int Round { get; init; }

    [JsonPropertyName("strategy")]
    public required string Strategy { get; init; }

    [JsonPropertyName("order")]
    public required int Order { get; init; }

    [JsonPropertyName("attempts")]
    public required int Attempts { get; init; }

    [JsonPropertyName("solved")]
    public required int Solved { get; init; }

    /// <summary>Attempts graded tampered (not solved).</summary>
    [JsonPropertyName("tampered")]
    public int Tampered { get; init; }

    [JsonPropertyName("solveRate")]
    public required double SolveRate { get; init; }

    /// <summary>Spec §1.5 with the run's α.</summary>
    [JsonPropertyName("injectorReward")]
    public required double InjectorReward { get; init; }

    /// <summary>The artifact folder, relative to the run directory (its <c>bug_inject.diff</c> is what the report links to).</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }
}
