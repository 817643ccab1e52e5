using System.Text.Json;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The JSON-lines report of Sparring's node:test reporter (<see cref="Internal.NodeReporter"/>): one
/// <c>{"file", "name", "status", "message"?, "duration_ms"?}</c> object per leaf test and a final <c>{"done": true, "tests": N}</c>.
/// Ids are <c>file &gt; suite &gt; test</c> (<c>test/a.test.js &gt; parse &gt; reads dates</c>); a file that failed to load
/// or crashed is an <see cref="TestStatus.Error"/> entry whose id is the file. Tests of one file with one full title
/// are each their own test: the second is <c>… &gt; title [#2]</c>, and so on in the order they ran.
/// </summary>
internal sealed class NodeJsonlParser : ITestReportParser
{
    public string Name => "node-jsonl";

    public ReportSource Source => ReportSource.ReportFiles;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var collector = new TestResultCollector(numberRepeats: true);
        var reports = input.ReportFiles.Where(f => f.Key.EndsWith(".jsonl", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        if (reports.Count == 0)
        {
            collector.Warn("No node test report (.jsonl) was found.");
            return collector.Build(sawCompletion: false);
        }

        var allDone = true;
        foreach (var (path, content) in reports)
        {
            allDone &= ParseReport(path, content, collector);
        }

        return collector.Build(allDone);
    }

    /// <summary>Reads one report; true when it ends with the reporter's summary line.</summary>
    private static bool ParseReport(string path, string content, TestResultCollector collector)
    {
        var done = false;
        var sawEnd = false;
        var orphans = 0;
        var lineNumber = 0;
        foreach (var raw in content.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line);
                var entry = doc.RootElement;
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    collector.Warn($"{path}:{lineNumber}: not a JSON object.");
                    continue;
                }

                if (entry.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True)
                {
                    sawEnd = true;
                    done = entry.TryGetProperty("tests", out var tests) && tests.ValueKind == JsonValueKind.Number;
                    if (!done)
                    {
                        collector.Warn($"{path}: node's event stream ended before its summary; the run may not have finished.");
                    }

                    continue;
                }

                var file = Str(entry, "file") ?? "";
                var name = Str(entry, "name") ?? "";
                var id = file.Length == 0 ? name : name.Length == 0 ? file : $"{file} > {name}";
                var status = Str(entry, "status") is { } s && !string.IsNullOrWhiteSpace(s) ? TestStatus.Normalize(s) : TestStatus.Error;
                double? ms = entry.TryGetProperty("duration_ms", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetDouble(out var v) ? v : null;
                // Tests with one title run one after another, each its own test; an error (a file that did not load,
                // a failed hook) repeated is the same thing failing again.
                if (status == TestStatus.Error)
                {
                    collector.AddMerged(id, status, ms, Str(entry, "message"));
                }
                else
                {
                    collector.Add(id, status, ms, Str(entry, "message"));
                }
                if (entry.TryGetProperty("orphan", out var o) && o.ValueKind == JsonValueKind.True)
                {
                    orphans++;
                }
            }
            catch (JsonException)
            {
                collector.Warn($"{path}:{lineNumber}: not valid JSON: {TestResultCollector.Excerpt(line)}");
            }
        }

        if (orphans > 0)
        {
            collector.Warn($"{path}: {orphans} results were reported without their parent test's result; their ids may lack a suite name.");
        }

        if (!sawEnd)
        {
            collector.Warn($"{path}: no end-of-run line; the run may not have finished.");
        }

        return done;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
