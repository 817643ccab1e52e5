using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Parsers;

/// <summary>
/// TAP 12, 13 and 14, including the indented subtests <c>node --test --test-reporter=tap</c> writes.
/// Ids are the test descriptions; a subtest's id is its parents' descriptions and its own joined with
/// <c> &gt; </c>. Only leaves count: a parent whose subtests were reported is not itself a test.
/// </summary>
/// <remarks><c># TODO</c> and <c># SKIP</c> directives both count as skipped; YAML blocks give the message and duration.</remarks>
internal sealed partial class TapParser : ITestReportParser
{
    public string Name => "tap";

    public ReportSource Source => ReportSource.Log;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = new TapState();
        var previousWasResult = false;
        foreach (var raw in input.Log.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var indent = line.Length - line.TrimStart(' ', '\t').Length;
            var body = line.Trim();
            var wasResult = previousWasResult;
            previousWasResult = false;
            if (state.InYaml)
            {
                state.OnYaml(body, line);
            }
            else if (Result().Match(body) is { Success: true } m)
            {
                state.OnResult(indent / 4, Describe(m), Status(m), m.Groups["reason"].Value.Trim().TrimStart('-').Trim());
                previousWasResult = true;
            }
            else if (body == "---" && wasResult)
            {
                state.InYaml = true;
            }
            else if (Plan().Match(body) is { Success: true } p)
            {
                state.OnPlan(indent / 4, int.Parse(p.Groups["n"].Value, CultureInfo.InvariantCulture));
            }
            else if (body.StartsWith("# Subtest:", StringComparison.Ordinal))
            {
                state.OnSubtest(indent / 4, body["# Subtest:".Length..].Trim());
            }
            else if (body.StartsWith("Bail out!", StringComparison.Ordinal))
            {
                state.Collector.Warn($"The run bailed out: {TestResultCollector.Excerpt(body)}");
                state.BailedOut = true;
                break;
            }
        }

        return state.Finish();
    }

    private static string Describe(Match m)
    {
        var description = m.Groups["desc"].Value.Trim().Replace("\\#", "#", StringComparison.Ordinal);
        return description.Length > 0 ? description : m.Groups["num"].Value;
    }

    private static TestStatus Status(Match m)
    {
        if (m.Groups["directive"].Success)
        {
            return TestStatus.Skipped;
        }

        return m.Groups["not"].Success ? TestStatus.Failed : TestStatus.Passed;
    }

    [GeneratedRegex(@"^(?<not>not )?ok\b(?:\s+(?<num>\d+))?(?:\s*-)?(?<desc>(?:[^#\\]|\\.)*)(?:#\s*(?<directive>skip\w*|todo)\b\s*(?<reason>.*))?(?:#.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Result();

    [GeneratedRegex(@"^1\.\.(?<n>\d+)(?:\s*#.*)?$")]
    private static partial Regex Plan();
}
