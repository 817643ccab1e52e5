using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The event stream of <c>go test -json ./...</c>. Ids are <c>package/TestName</c>, subtests <c>package/TestName/sub</c>
/// (parents are kept: Go reports them with their own outcome). A package that fails to build, or fails without any
/// failing test, becomes an <see cref="TestStatus.Error"/> entry whose id is the package path.
/// </summary>
internal sealed partial class GoTestJsonParser : ITestReportParser
{
    public string Name => "go-test-json";

    public ReportSource Source => ReportSource.Log;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = new State();
        foreach (var raw in input.Log.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('{'))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    state.OnEvent(doc.RootElement);
                    continue;
                }
                catch (JsonException)
                {
                    state.Collector.Warn($"Malformed JSON line ignored: {TestResultCollector.Excerpt(line)}");
                    continue;
                }
            }

            state.OnText(line);
        }

        return state.Finish();
    }

    [GeneratedRegex(@"^FAIL\s+(?<pkg>\S+)\s+\[(?:build|setup) failed\]")]
    private static partial Regex BuildFailedLine();

    [GeneratedRegex(@"^(?:=== (?:RUN|PAUSE|CONT|NAME)|\s*--- (?:PASS|FAIL|SKIP):)")]
    private static partial Regex MarkerLine();

    private sealed class State
    {
        private readonly Dictionary<string, bool?> packages = new(StringComparer.Ordinal); // package → passed? (null: not ended)
        private readonly Dictionary<string, string> running = new(StringComparer.Ordinal); // test id → package
        private readonly Dictionary<string, StringBuilder> output = new(StringComparer.Ordinal);
        private readonly HashSet<string> packagesWithFailedTests = new(StringComparer.Ordinal);
        private readonly StringBuilder buildLog = new();
        private int textLines;
        private string? firstText;

        public TestResultCollector Collector { get; } = new();

        public void OnEvent(JsonElement e)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var action = Str(e, "Action");
            var package = Str(e, "Package") ?? Str(e, "ImportPath");
            var test = Str(e, "Test");
            if (action is null || package is null)
            {
                return;
            }

            if (action is "build-output" or "build-fail")
            {
                ReportXml.AppendCapped(buildLog, Str(e, "Output") ?? "");
                return;
            }

            packages.TryAdd(package, null);
            var key = test is null ? package : $"{package}/{test}";
            double? ms = e.TryGetProperty("Elapsed", out var el) && el.ValueKind == JsonValueKind.Number && el.TryGetDouble(out var s) ? s * 1000 : null;
            switch (action)
            {
                case "run":
                    running[key] = package;
                    break;
                case "output":
                    var text = Str(e, "Output") ?? "";
                    if (!MarkerLine().IsMatch(text))
                    {
                        ReportXml.AppendCapped(output.TryGetValue(key, out var sb) ? sb : output[key] = new StringBuilder(), text);
                    }

                    break;
                case "pass" or "fail" or "skip" when test is not null:
                    running.Remove(key);
                    var status = TestStatus.Normalize(action);
                    if (status == TestStatus.Failed)
                    {
                        packagesWithFailedTests.Add(package);
                    }

                    Collector.Add(key, status, ms, status == TestStatus.Passed ? null : Output(key));
                    break;
                case "pass" or "fail" or "skip":
                    packages[package] = action != "fail";
                    EndPackage(package, failed: action == "fail", ms, e);
                    break;
            }
        }

        public void OnText(string line)
        {
            var failed = BuildFailedLine().Match(line);
            if (failed.Success)
            {
                var package = failed.Groups["pkg"].Value;
                packages[package] = false;
                Collector.Add(package, TestStatus.Error, null, buildLog.Length > 0 ? buildLog.ToString() : line);
                buildLog.Clear();
                return;
            }

            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                buildLog.Clear();
            }

            ReportXml.AppendCapped(buildLog, line + "\n");
            textLines++;
            firstText ??= line;
        }

        public ParsedReport Finish()
        {
            foreach (var (id, _) in running)
            {
                Collector.Add(id, TestStatus.Error, null, "The test started but reported no result.");
            }

            if (running.Count > 0)
            {
                Collector.Warn($"{running.Count} tests started but reported no result; the output may be truncated.");
            }

            if (textLines > 0)
            {
                Collector.Warn($"Ignored {textLines} lines that are not test events (first: {TestResultCollector.Excerpt(firstText!)}).");
            }

            return Collector.Build(packages.Count > 0 && packages.Values.All(ended => ended is not null));
        }

        private void EndPackage(string package, bool failed, double? ms, JsonElement e)
        {
            foreach (var id in running.Where(r => r.Value == package).Select(r => r.Key).ToList())
            {
                running.Remove(id);
                Collector.Add(id, failed ? TestStatus.Failed : TestStatus.Error, null, "The test reported no result before its package ended.");
                if (failed)
                {
                    packagesWithFailedTests.Add(package);
                }
            }

            // A failing package with no failing test (build failure, TestMain exit, init panic) must not look green.
            var failedBuild = Str(e, "FailedBuild") is not null;
            if (failed && (failedBuild || !packagesWithFailedTests.Contains(package)))
            {
                var message = buildLog.Length > 0 && failedBuild ? buildLog.ToString() : Output(package);
                Collector.Add(package, TestStatus.Error, ms, message ?? $"Package {package} failed with no failing test.");
                buildLog.Clear();
            }
        }

        private string? Output(string key) => output.TryGetValue(key, out var sb) ? sb.ToString() : null;

        private static string? Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
