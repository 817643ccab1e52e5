using System.Globalization;

namespace Sparring.Testing;

/// <summary>
/// What a baseline run must show before inject, selfplay or serve build on it: the suite ran, at least one test passed,
/// and at least <see cref="MinParsedShare"/> of the tests the runner itself reports were parsed.
/// </summary>
/// <remarks>The share rule needs the runner's own total (<see cref="TestRun.ReportedTotal"/>): pytest's final line, TRX
/// counters, jest's JSON. go test, node's runner, TAP, tape and parser scripts print none that counts the same tests,
/// so for them only the zero-passing rule applies.</remarks>
public sealed record BaselineRequirements
{
    /// <summary>The default of <see cref="MinParsedShare"/>.</summary>
    public const double DefaultMinParsedShare = 0.5;

    /// <summary>The least share (0 to 1) of the runner's reported total that must be parsed; 0 turns the rule off.</summary>
    public double MinParsedShare { get; init; } = DefaultMinParsedShare;

    public BaselineRequirements Validate()
    {
        if (double.IsNaN(MinParsedShare) || MinParsedShare is < 0 or > 1)
        {
            throw new ArgumentException($"the minimum parsed share must be between 0 and 1, got {MinParsedShare.ToString(CultureInfo.InvariantCulture)}");
        }

        return this;
    }

    /// <summary>Throws when <paramref name="run"/> is no baseline to build on.</summary>
    /// <param name="run">The baseline run.</param>
    /// <param name="subject">What ran, for the message ("the original tree", "task 'x'").</param>
    /// <exception cref="SuiteDidNotRunException">The suite did not run, no test passed, or too few results were parsed.</exception>
    public void Check(TestRun run, string subject = "the original tree")
    {
        ArgumentNullException.ThrowIfNull(run);
        var c = run.Counts;
        if (!run.SuiteRan || c.Passed == 0)
        {
            var reason = !run.SuiteRan
                ? $"The test suite does not run on {subject}: {run.Evidence}."
                : $"No test passes on {subject} ({c.Total} result(s): {c.Failed} failed, {c.Error} error, {c.Skipped} skipped): there is nothing to break or fix.";
            throw new SuiteDidNotRunException(reason + " 'sparring probe' shows the run (with --log, the whole log).", run.Diagnosis ?? Unexplained(run), run);
        }

        if (run.ReportedTotal is { } reported && reported > 0 && MinParsedShare > 0 && c.Total < MinParsedShare * reported)
        {
            var share = MinParsedShare.ToString("0.##", CultureInfo.InvariantCulture);
            throw new SuiteDidNotRunException(
                $"Only {c.Total} of the {reported} tests the runner reports on {subject} were parsed (parser {run.Parser}); at least a share of {share} is required.",
                new RunDiagnosis
                {
                    Kind = RunDiagnosisKinds.Unparsed,
                    Cause = $"the parser '{run.Parser}' read {c.Total} results where the runner counted {reported}",
                    Excerpt = [],
                    Suggestion = $"probe with another --parser (docs/testing.md lists them), or accept it: --min-parsed-share {(Math.Floor(100.0 * c.Total / reported) / 100).ToString("0.##", CultureInfo.InvariantCulture)}",
                },
                run);
        }
    }

    /// <summary>A run read back from a cache made before diagnoses existed.</summary>
    private static RunDiagnosis Unexplained(TestRun run) => new()
    {
        Kind = RunDiagnosisKinds.Unknown,
        Cause = $"{run.Evidence}; the runner exited {run.ExitCode}",
        Excerpt = [],
    };
}
