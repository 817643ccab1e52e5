using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The TAP that <c>tape</c> prints: each <c>test('name', …)</c> block is a <c># name</c> comment followed by its
/// assertions (<c>ok N message</c>). One result per block, with the block's name as id: failed when any assertion
/// failed, skipped when the block was skipped (<c># SKIP name</c>), is a todo (<c># TODO name</c>) or all its
/// assertions were skipped, otherwise passed (a block without assertions passes, as tape counts it).
/// The run is complete when the final plan (<c>1..N</c>) or summary (<c># ok</c>, <c># fail N</c>) was printed.
/// </summary>
/// <remarks>
/// tape does not print which file a test is in, so equal names in different files merge (the worse status wins),
/// and a <c>t.comment()</c> looks like a block header. When the output stops without the plan (the process
/// crashed), the block that was running is an <see cref="TestStatus.Error"/> with the error printed after it.
/// </remarks>
internal sealed partial class TapeParser : ITestReportParser
{
    public string Name => "tape";

    public ReportSource Source => ReportSource.Log;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Every block is its own test: an equal name is another block (nested, or in another file), run in the same order each time.
        var collector = new TestResultCollector(numberRepeats: true);
        TapeBlock? block = null;
        TapeBlock? yamlFor = null;
        var inYaml = false;
        var previousWasResult = false;
        int? plan = null;
        var assertions = 0;
        var summary = false;
        foreach (var raw in input.Log.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            var body = line.Trim();
            var wasResult = previousWasResult;
            previousWasResult = false;
            if (inYaml)
            {
                inYaml = body != "...";
                yamlFor?.OnYaml(body);
            }
            else if (body == "---" && wasResult)
            {
                inYaml = true;
            }
            else if (Assertion().Match(line) is { Success: true } a)
            {
                assertions++;
                var description = a.Groups["desc"].Value.Trim();
                var directive = a.Groups["directive"].Success;
                var failed = a.Groups["not"].Success && !directive;
                if (block is null)
                {
                    // An assertion outside any block (not printed by tape itself): a result of its own.
                    yamlFor = new TapeBlock(description.Length > 0 ? description : a.Groups["num"].Value, TapeHeader.Plain);
                    yamlFor.OnAssertion(failed, directive, description);
                    Close(yamlFor, collector);
                }
                else
                {
                    block.OnAssertion(failed, directive, description);
                    yamlFor = block;
                }

                previousWasResult = true;
            }
            else if (Plan().Match(line) is { Success: true } p)
            {
                Close(block, collector);
                block = null;
                plan = int.Parse(p.Groups["n"].Value, CultureInfo.InvariantCulture);
            }
            else if (body.StartsWith('#') && line.StartsWith('#'))
            {
                var comment = body[1..].Trim();
                if (plan is not null)
                {
                    summary |= comment == "ok" || FailSummary().IsMatch(comment);
                    continue;
                }

                Close(block, collector);
                block = Header(comment);
            }
            else if (body.StartsWith("Bail out!", StringComparison.Ordinal))
            {
                collector.Warn($"The run bailed out: {TestResultCollector.Excerpt(body)}");
                break;
            }
            else
            {
                block?.OnOutput(body);
            }
        }

        if (block is not null && plan is null)
        {
            block.Crashed();
            collector.Warn($"The output ends inside '{TestResultCollector.Excerpt(block.Name)}' without tape's final plan; the process may have crashed or been stopped.");
        }

        Close(block, collector);
        if (plan is null && !summary)
        {
            collector.Warn("No final plan (1..N) or summary was found; the run may not have finished.");
        }
        else if (plan is { } n && n != assertions)
        {
            collector.Warn($"The plan announces {n} assertions but {assertions} were printed.");
        }

        return collector.Build(plan is not null || summary);
    }

    private static TapeBlock Header(string comment)
    {
        if (comment.StartsWith("SKIP ", StringComparison.Ordinal))
        {
            return new TapeBlock(comment[5..].Trim(), TapeHeader.Skip);
        }

        return comment.StartsWith("TODO ", StringComparison.Ordinal)
            ? new TapeBlock(comment[5..].Trim(), TapeHeader.Todo)
            : new TapeBlock(comment, TapeHeader.Plain);
    }

    private static void Close(TapeBlock? block, TestResultCollector collector)
    {
        if (block is not null)
        {
            collector.Add(block.Name, block.Status, null, block.Message);
        }
    }

    [GeneratedRegex(@"^(?<not>not )?ok\b(?:\s+(?<num>\d+))?(?:\s*-)?(?<desc>(?:[^#\\]|\\.)*)(?:#\s*(?<directive>skip\w*|todo)\b.*)?(?:#.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Assertion();

    [GeneratedRegex(@"^1\.\.(?<n>\d+)\s*$")]
    private static partial Regex Plan();

    [GeneratedRegex(@"^fail\s+\d+$")]
    private static partial Regex FailSummary();
}
