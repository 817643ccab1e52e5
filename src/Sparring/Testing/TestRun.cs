using System.Text.Json.Serialization;

namespace Sparring.Testing;

/// <summary>One run of a test suite: each test's status, and what tells whether the run can be believed.</summary>
public sealed record TestRun
{
    public required string Runner { get; init; }
    public required string Command { get; init; }
    public required string Parser { get; init; }
    public required int ExitCode { get; init; }
    public required bool TimedOut { get; init; }
    public required bool OutputTruncated { get; init; }
    public bool MemoryLimitHit { get; init; }

    /// <summary>True when the workspace's disk quota (or the disk) was full after the run: some writes failed with ENOSPC. <see cref="Warnings"/> says which quota and how to raise it.</summary>
    public bool DiskFull { get; init; }

    [JsonIgnore]
    public TimeSpan Duration { get; init; }

    /// <summary>The duration in milliseconds; settable so a run read back from JSON (a cached baseline) keeps its <see cref="Duration"/>.</summary>
    public double DurationMs
    {
        get => Math.Round(Duration.TotalMilliseconds, 1);
        init => Duration = TimeSpan.FromMilliseconds(value);
    }

    public TestCounts Counts => TestCounts.Of(Tests);

    public required IReadOnlyList<TestResult> Tests { get; init; }

    /// <summary>True only when results show the suite ran: tests were parsed and the runner's output or report reached its end.</summary>
    public required bool SuiteRan { get; init; }

    /// <summary>What <see cref="SuiteRan"/> rests on, in words.</summary>
    public required string Evidence { get; init; }

    /// <summary>Where the exit code and the parsed results disagree (exit 0 with failures, non-zero with none, no tests).</summary>
    public required IReadOnlyList<string> Disagreements { get; init; }

    /// <summary>How many tests the runner's own summary counts, when the parser reads one (<see cref="ParsedReport.ReportedTotal"/>); null otherwise.</summary>
    public int? ReportedTotal { get; init; }

    /// <summary>Why the suite did not run or no test passed, read from the log; null when tests passed.</summary>
    public RunDiagnosis? Diagnosis { get; init; }

    /// <summary>Parser and environment notes.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The combined stdout and stderr (head and tail kept when capped).</summary>
    [JsonIgnore]
    public string Log { get; init; } = "";

    /// <summary>True when the suite ran and no test failed or errored.</summary>
    public bool AllPassed => SuiteRan && Counts.Failed == 0 && Counts.Error == 0 && !TimedOut;
}

/// <summary>Tests per status; statuses outside the four well-known ones are counted in <see cref="Other"/>.</summary>
public sealed record TestCounts(int Passed, int Failed, int Skipped, int Error, int Other)
{
    public int Total => Passed + Failed + Skipped + Error + Other;

    public static TestCounts Of(IEnumerable<TestResult> tests)
    {
        int passed = 0, failed = 0, skipped = 0, error = 0, other = 0;
        foreach (var test in tests)
        {
            if (test.Status == TestStatus.Passed)
            {
                passed++;
            }
            else if (test.Status == TestStatus.Failed)
            {
                failed++;
            }
            else if (test.Status == TestStatus.Skipped)
            {
                skipped++;
            }
            else if (test.Status == TestStatus.Error)
            {
                error++;
            }
            else
            {
                other++;
            }
        }

        return new TestCounts(passed, failed, skipped, error, other);
    }
}
