using System.Text;
using System.Text.Json;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The SSR parser-script protocol: a script prints a flat JSON object mapping each test id to its status
/// (<c>{"tests/test_a.py::test_x": "passed"}</c>). The last JSON object in the output wins, so a script may
/// print anything before it. Ids are the object's keys, unchanged.
/// </summary>
internal sealed class SsrJsonParser : ITestReportParser
{
    /// <summary>How many candidate braces to try before giving up on a noisy log.</summary>
    private const int MaxAttempts = 200;

    public string Name => "ssr-json";

    public ReportSource Source => ReportSource.Log;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var collector = new TestResultCollector();
        var bytes = Encoding.UTF8.GetBytes(input.Log);
        using var doc = FindLastObject(bytes);
        if (doc is null)
        {
            collector.Warn("No JSON object was found in the output.");
            return collector.Build(sawCompletion: false);
        }

        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(property.Value.GetString()))
            {
                collector.Add(property.Name, TestStatus.Normalize(property.Value.GetString()!));
            }
            else
            {
                collector.Warn($"Test '{TestResultCollector.Excerpt(property.Name)}' has a status that is not a non-empty string: {TestResultCollector.Excerpt(property.Value.GetRawText())}");
            }
        }

        return collector.Build(sawCompletion: true);
    }

    /// <summary>
    /// Tries braces from the end backwards: first those that open a line (where a script's <c>print(json.dumps(...))</c>
    /// puts them), then any. The reader stops after one value, so noise after the object does not matter.
    /// </summary>
    private static JsonDocument? FindLastObject(byte[] bytes)
    {
        var braces = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'{')
            {
                braces.Add(i);
            }
        }

        var lineStarts = braces.Where(i => StartsLine(bytes, i)).Reverse();
        var others = braces.Where(i => !StartsLine(bytes, i)).Reverse();
        foreach (var start in lineStarts.Concat(others).Take(MaxAttempts))
        {
            try
            {
                var reader = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions { AllowTrailingCommas = true });
                var doc = JsonDocument.ParseValue(ref reader);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return doc;
                }

                doc.Dispose();
            }
            catch (JsonException)
            {
                // Not the object we want; try an earlier brace.
            }
        }

        return null;
    }

    private static bool StartsLine(byte[] bytes, int at)
    {
        for (var i = at - 1; i >= 0; i--)
        {
            if (bytes[i] == (byte)'\n')
            {
                return true;
            }

            if (bytes[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
