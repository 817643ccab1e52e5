namespace Sparring.Testing;

/// <summary>
/// Reads what a test runner wrote (its console log or a report file) into per-test results.
/// Parsers are pure: no I/O, no sandbox. <see cref="TestReportParsers"/> names the built-in ones.
/// </summary>
/// <remarks>
/// A parser never throws on malformed or truncated input: it returns what it could read and
/// lists the problems in <see cref="ParsedReport.Warnings"/>. When the same id occurs twice
/// (parametrised tests with equal names, reruns) the worse status wins: error, failed, then skipped, then passed.
/// Implementations are stateless and thread-safe.
/// </remarks>
public interface ITestReportParser
{
    /// <summary>The name used on the command line (<c>--parser junit</c>).</summary>
    string Name { get; }

    /// <summary>Where the parser reads from: the command's combined output or report files.</summary>
    ReportSource Source { get; }

    ParsedReport Parse(ReportInput input);
}

/// <summary>Where a parser reads from.</summary>
public enum ReportSource
{
    /// <summary>The command's combined stdout and stderr.</summary>
    Log,

    /// <summary>One or more report files the runner wrote (JUnit XML, TRX).</summary>
    ReportFiles,
}

/// <summary>What a parser reads.</summary>
public sealed record ReportInput
{
    /// <summary>The combined stdout and stderr of the test command.</summary>
    public required string Log { get; init; }

    /// <summary>Contents of the report files, keyed by their path relative to the workspace.</summary>
    public IReadOnlyDictionary<string, string> ReportFiles { get; init; } = new Dictionary<string, string>();
}

/// <summary>What a parser read.</summary>
public sealed record ParsedReport
{
    public required IReadOnlyList<TestResult> Tests { get; init; }

    /// <summary>
    /// True when the input shows the runner reached its end (a summary line, a closed report element,
    /// a TAP plan): evidence that the suite ran rather than died half way.
    /// </summary>
    public bool SawCompletion { get; init; }

    /// <summary>
    /// How many tests the runner's own summary counts, when it prints one in the same unit as the results (pytest's final
    /// line, TRX counters, jest's <c>numTotalTests</c>); null when it does not (go test, TAP, tape, node, scripts).
    /// </summary>
    public int? ReportedTotal { get; init; }

    /// <summary>Problems met while reading (malformed lines, unclosed elements). Never fatal.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
