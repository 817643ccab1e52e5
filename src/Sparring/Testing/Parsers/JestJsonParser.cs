using System.Text.Json;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The report of <c>jest --json --outputFile=…</c>. Ids are <c>file &gt; describe… &gt; title</c>, with the file
/// made relative to <c>rootDir</c> when the report carries one (jest itself does not; the absolute path is kept then).
/// A test file that failed to run (syntax error, missing module) becomes an <see cref="TestStatus.Error"/> entry
/// whose id is the file. Tests of one file with one full title are each their own test: the second is
/// <c>… &gt; title [#2]</c>, and so on in the file's order.
/// </summary>
internal sealed class JestJsonParser : ReportFilesParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public override string Name => "jest-json";

    protected override string FormatName => "jest JSON";

    protected override bool NumberRepeats => true;

    protected override bool ParseFile(string path, string content, TestResultCollector collector)
    {
        try
        {
            using var doc = JsonDocument.Parse(content, Options);
            return ParseReport(path, doc.RootElement, collector);
        }
        catch (JsonException e)
        {
            collector.Warn($"{path}: not valid JSON ({e.Message}).");
            return false;
        }
    }

    private static bool ParseReport(string path, JsonElement root, TestResultCollector collector)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("testResults", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            collector.Warn($"{path}: no testResults array; this is not a jest --json report.");
            return false;
        }

        var rootDir = Str(root, "rootDir") ?? (root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object ? Str(config, "rootDir") : null);
        foreach (var file in files.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object))
        {
            var name = Relative(Str(file, "name") ?? Str(file, "testFilePath") ?? "", rootDir);
            var assertions = file.TryGetProperty("assertionResults", out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Object).ToList()
                : [];
            foreach (var test in assertions)
            {
                var titles = test.TryGetProperty("ancestorTitles", out var anc) && anc.ValueKind == JsonValueKind.Array
                    ? anc.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                    : [];
                titles.Add(Str(test, "title") ?? Str(test, "fullName") ?? "");
                double? ms = test.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetDouble(out var v) ? v : null;
                var message = test.TryGetProperty("failureMessages", out var fm) && fm.ValueKind == JsonValueKind.Array
                    ? fm.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()).FirstOrDefault()
                    : null;
                collector.Add(string.Join(" > ", titles.Prepend(name).Select(t => t.Trim())), Map(Str(test, "status")), ms, message);
            }

            if (assertions.Count == 0 && string.Equals(Str(file, "status"), "failed", StringComparison.Ordinal))
            {
                collector.AddMerged(name, TestStatus.Error, null, Str(file, "message") ?? "The test file failed to run.");
            }
        }

        if (root.TryGetProperty("numTotalTests", out var total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt32(out var reported))
        {
            collector.Reported(reported);
        }

        var interrupted = root.TryGetProperty("wasInterrupted", out var w) && w.ValueKind == JsonValueKind.True;
        if (interrupted)
        {
            collector.Warn($"{path}: jest reports that the run was interrupted.");
        }

        return !interrupted;
    }

    private static TestStatus Map(string? status) => status?.Trim() switch
    {
        null or "" => TestStatus.Error,
        "disabled" => TestStatus.Skipped,
        "focused" => TestStatus.Passed,
        var s => TestStatus.Normalize(s),
    };

    private static string Relative(string file, string? rootDir)
    {
        if (string.IsNullOrEmpty(rootDir))
        {
            return file;
        }

        var prefix = rootDir.TrimEnd('/', '\\');
        return file.Length > prefix.Length + 1 && file.StartsWith(prefix, StringComparison.Ordinal) && file[prefix.Length] is '/' or '\\'
            ? file[(prefix.Length + 1)..]
            : file;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
