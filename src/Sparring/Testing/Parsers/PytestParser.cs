using System.Text.RegularExpressions;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The console output of <c>pytest -rA -v</c>: verbose progress lines and the <c>-rA</c> short summary.
/// Ids are pytest node ids (<c>tests/test_x.py::TestClass::test_a[param]</c>); a module that fails to
/// collect becomes an <see cref="TestStatus.Error"/> entry whose id is its file path.
/// </summary>
/// <remarks>xfail counts as skipped and xpass as passed, as pytest's own exit code does (strict xpass prints FAILED).</remarks>
internal sealed partial class PytestParser : ITestReportParser
{
    public string Name => "pytest";

    public ReportSource Source => ReportSource.Log;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var collector = new TestResultCollector();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var inSummary = false;
        var sawEnd = false;
        int? reported = null;
        foreach (var raw in input.Log.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (Separator().IsMatch(line))
            {
                var title = line.Trim('=', ' ', '_', '-', '!');
                inSummary = title.Equals("short test summary info", StringComparison.Ordinal);
                if (FinalLine().IsMatch(line))
                {
                    sawEnd = true;
                    reported = ReportedTotal(line);
                }

                var collecting = CollectingError().Match(title);
                if (collecting.Success)
                {
                    collector.Add(collecting.Groups["file"].Value, TestStatus.Error, null, "collection failed");
                }

                continue;
            }

            if (Verbose().Match(line) is { Success: true } v)
            {
                var id = v.Groups["id"].Value;
                known.Add(id);
                collector.Add(id, Map(v.Groups["status"].Value), null, v.Groups["reason"].Value);
            }
            else if (Xdist().Match(line) is { Success: true } x)
            {
                known.Add(x.Groups["id"].Value);
                collector.Add(x.Groups["id"].Value, Map(x.Groups["status"].Value));
            }
            else if (inSummary && SummaryLine().Match(line) is { Success: true } s)
            {
                AddSummary(s.Groups["status"].Value, s.Groups["rest"].Value, known, collector);
            }
        }

        if (!sawEnd)
        {
            collector.Warn("No final pytest summary line (=== N passed in Xs ===); the run may not have finished.");
        }

        if (reported is { } total)
        {
            collector.Reported(total);
        }

        return collector.Build(sawEnd);
    }

    /// <summary>The tests the final line counts ("1 failed, 2 passed, 1 skipped, 3 warnings in 0.12s"): warnings, deselected and reruns are no tests.</summary>
    private static int ReportedTotal(string line) =>
        FinalCount().Matches(line).Where(m => m.Groups["what"].Value is not ("warning" or "warnings" or "deselected" or "rerun"))
            .Sum(m => int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static void AddSummary(string status, string rest, HashSet<string> known, TestResultCollector collector)
    {
        // "SKIPPED [2] tests/x.py:12: reason" names a location, not a node id; the verbose line already gave the id.
        if (rest.StartsWith('['))
        {
            return;
        }

        var id = LongestKnownPrefix(rest, known) ?? GuessId(rest);
        var message = rest[id.Length..].Trim();
        if (message.StartsWith("- ", StringComparison.Ordinal))
        {
            message = message[2..];
        }

        collector.Add(id, Map(status), null, message);
    }

    /// <summary>The longest id seen on a verbose line that <paramref name="rest"/> starts with, up to a space or the end.</summary>
    private static string? LongestKnownPrefix(string rest, HashSet<string> known)
    {
        for (var end = rest.Length; end > 0; end = rest.LastIndexOf(' ', end - 1))
        {
            if (known.Contains(rest[..end]))
            {
                return rest[..end];
            }
        }

        return null;
    }

    /// <summary>Without a verbose line to match, the id ends at the first space outside brackets (" - msg" follows it).</summary>
    private static string GuessId(string rest)
    {
        var depth = 0;
        for (var i = 0; i < rest.Length; i++)
        {
            switch (rest[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ' ' when depth == 0:
                    return rest[..i];
            }
        }

        return rest;
    }

    private static TestStatus Map(string status) => status switch
    {
        "PASSED" or "XPASS" => TestStatus.Passed,
        "FAILED" => TestStatus.Failed,
        "SKIPPED" or "XFAIL" => TestStatus.Skipped,
        "ERROR" => TestStatus.Error,
        _ => TestStatus.Normalize(status),
    };

    [GeneratedRegex(@"^(?<id>\S+?::.+?) (?<status>PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)(?: \((?<reason>.*)\))?(?:\s+\[\s*\d+%\])?$")]
    private static partial Regex Verbose();

    [GeneratedRegex(@"^\[gw\d+\] \[\s*\d+%\] (?<status>PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS) (?<id>\S+?::.+)$")]
    private static partial Regex Xdist();

    [GeneratedRegex(@"^(?<status>PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS) (?<rest>.+)$")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^[=_!-]{3,} .* [=_!-]{3,}$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^=+ .*\bin \d+(?:\.\d+)?s\b.* =+$|^=+ no tests ran")]
    private static partial Regex FinalLine();

    [GeneratedRegex(@"\b(?<count>\d+) (?<what>passed|failed|skipped|errors?|xfailed|xpassed|warnings?|deselected|rerun)\b")]
    private static partial Regex FinalCount();

    [GeneratedRegex(@"^ERROR collecting (?<file>\S+)")]
    private static partial Regex CollectingError();
}
