using System.Text;
using System.Xml;

namespace Sparring.Testing.Parsers;

/// <summary>
/// JUnit XML as pytest, Maven surefire, jest-junit, go-junit-report and <c>node --test --test-reporter=junit</c> write it.
/// Ids are <c>classname.name</c> (or <c>name</c> when it already starts with the class name); Node writes the
/// meaningless class name <c>test</c> and nests suites instead, so its ids are the suite path joined with <c> &gt; </c>.
/// </summary>
internal sealed class JUnitXmlParser : ReportFilesParser
{
    /// <summary>The class name Node's junit reporter writes on every test case.</summary>
    private const string NodeClassName = "test";

    public override string Name => "junit";

    protected override string FormatName => "JUnit XML";

    /// <returns>True when the root element was closed.</returns>
    protected override bool ParseFile(string path, string content, TestResultCollector collector)
    {
        var suites = new List<string>();
        TestCase? current = null;
        var rootClosed = false;
        try
        {
            using var reader = ReportXml.Create(content);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    var empty = reader.IsEmptyElement;
                    switch (reader.LocalName)
                    {
                        case "testsuite" when current is null:
                            suites.Add(reader.GetAttribute("name") ?? "");
                            if (empty)
                            {
                                suites.RemoveAt(suites.Count - 1);
                            }

                            break;
                        case "testcase":
                            current = new TestCase(Id(suites, reader.GetAttribute("classname"), reader.GetAttribute("name")),
                                ReportXml.SecondsToMs(reader.GetAttribute("time")));
                            if (empty)
                            {
                                current.Emit(collector);
                                current = null;
                            }

                            break;
                        case "failure" or "error" or "skipped" when current is not null:
                            current.Status = Worse(current.Status, reader.LocalName switch
                            {
                                "failure" => TestStatus.Failed,
                                "error" => TestStatus.Error,
                                _ => TestStatus.Skipped,
                            });
                            current.Message ??= reader.GetAttribute("message");
                            current.InDetail = !empty;
                            break;
                    }

                    if (reader.Depth == 0 && empty)
                    {
                        rootClosed = true;
                    }
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && current is { InDetail: true })
                {
                    ReportXml.AppendCapped(current.Detail, reader.Value);
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    switch (reader.LocalName)
                    {
                        case "testcase" when current is not null:
                            current.Emit(collector);
                            current = null;
                            break;
                        case "failure" or "error" or "skipped" when current is not null:
                            current.InDetail = false;
                            break;
                        case "testsuite" when current is null && suites.Count > 0:
                            suites.RemoveAt(suites.Count - 1);
                            break;
                    }

                    rootClosed |= reader.Depth == 0;
                }
            }
        }
        catch (XmlException e)
        {
            collector.Warn($"{path}: the XML is malformed or truncated ({e.Message}); kept the test cases read before that point.");
            if (current is not null)
            {
                collector.Warn($"{path}: the unfinished test case '{current.Id}' was left out.");
            }

            return false;
        }

        if (!rootClosed)
        {
            collector.Warn($"{path}: no XML root element was found.");
        }

        return rootClosed;
    }

    private static string Id(List<string> suites, string? className, string? name)
    {
        className = className?.Trim() ?? "";
        name = name?.Trim() ?? "";
        if (string.Equals(className, NodeClassName, StringComparison.Ordinal))
        {
            return string.Join(" > ", suites.Where(s => s.Length > 0).Append(name));
        }

        return className.Length == 0 || name.StartsWith(className, StringComparison.Ordinal) ? name : $"{className}.{name}";
    }

    private static TestStatus Worse(TestStatus a, TestStatus b) =>
        TestResultCollector.Rank(b) > TestResultCollector.Rank(a) ? b : a;

    private sealed class TestCase(string id, double? durationMs)
    {
        public string Id { get; } = id;
        public TestStatus Status { get; set; } = TestStatus.Passed;
        public string? Message { get; set; }
        public bool InDetail { get; set; }
        public StringBuilder Detail { get; } = new();

        public void Emit(TestResultCollector collector) =>
            collector.Add(Id, Status, durationMs, string.IsNullOrWhiteSpace(Message) ? Detail.ToString() : Message);
    }
}
