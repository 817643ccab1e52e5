using System.Globalization;
using System.Text;
using System.Xml;

namespace Sparring.Testing.Parsers;

/// <summary>
/// Visual Studio TRX files as <c>dotnet test --logger trx</c> writes them, one per test project.
/// Ids are the <c>UnitTestResult</c> test names, qualified by the class of the test's definition when the name is
/// not already: xUnit writes <c>Namespace.Class.Method</c> (with the arguments for theory rows), NUnit and TUnit only
/// <c>Method</c>, so same-named tests of different classes would otherwise share an id.
/// Theory rows and test cases whose arguments print alike are separate tests the runner counts separately; the
/// n-th of them in the report's order (the order they ran in: rows of one method run in turn) is <c>id [#n]</c>.
/// </summary>
internal sealed class TrxParser : ReportFilesParser
{
    public override string Name => "trx";

    protected override string FormatName => "TRX";

    protected override bool NumberRepeats => true;

    protected override bool IsReport(string path) => path.EndsWith(".trx", StringComparison.OrdinalIgnoreCase);

    /// <returns>True when the file has a <c>ResultSummary</c>.</returns>
    protected override bool ParseFile(string path, string content, TestResultCollector collector)
    {
        var open = new Stack<Pending>();
        var read = new List<Pending>();
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        string? definition = null;
        var sawSummary = false;
        var inMessage = false;
        try
        {
            using var reader = ReportXml.Create(content);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element when reader.LocalName == "UnitTestResult":
                        var pending = new Pending(
                            reader.GetAttribute("testId") ?? "",
                            reader.GetAttribute("testName") ?? "",
                            MapOutcome(reader.GetAttribute("outcome")),
                            TimeSpan.TryParse(reader.GetAttribute("duration"), CultureInfo.InvariantCulture, out var d) ? d.TotalMilliseconds : null);
                        read.Add(pending);
                        if (!reader.IsEmptyElement)
                        {
                            open.Push(pending);
                        }

                        break;
                    case XmlNodeType.Element when reader.LocalName == "UnitTest":
                        definition = reader.GetAttribute("id");
                        break;
                    case XmlNodeType.Element when reader.LocalName == "TestMethod" && definition is not null:
                        if (reader.GetAttribute("className") is { Length: > 0 } className)
                        {
                            // MSTest writes an assembly-qualified class name.
                            classes[definition] = className.Split(',')[0].Trim();
                        }

                        break;
                    case XmlNodeType.Element when reader.LocalName == "Message":
                        inMessage = open.Count > 0 && !reader.IsEmptyElement;
                        break;
                    case XmlNodeType.Element when reader.LocalName == "ResultSummary":
                        sawSummary = true;
                        break;
                    case XmlNodeType.Element when reader.LocalName == "Counters" && sawSummary:
                        if (int.TryParse(reader.GetAttribute("total"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var total))
                        {
                            collector.Reported(total);
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA when inMessage:
                        ReportXml.AppendCapped(open.Peek().Message, reader.Value);
                        break;
                    case XmlNodeType.EndElement when reader.LocalName == "Message":
                        inMessage = false;
                        break;
                    case XmlNodeType.EndElement when reader.LocalName == "UnitTestResult" && open.Count > 0:
                        open.Pop();
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            collector.Warn($"{path}: the XML is malformed or truncated ({e.Message}); kept the results read before that point.");
            // An unfinished result still carries its outcome in its start tag, so it is worth keeping.
            Emit(read, classes, collector);
            return false;
        }

        Emit(read, classes, collector);

        if (!sawSummary)
        {
            collector.Warn($"{path}: no ResultSummary; the test run may not have finished.");
        }

        return sawSummary;
    }

    private static TestStatus MapOutcome(string? outcome) => outcome?.Trim().ToUpperInvariant() switch
    {
        null or "" => TestStatus.Error,
        "PASSEDBUTRUNABORTED" or "COMPLETED" or "WARNING" => TestStatus.Passed,
        "INCONCLUSIVE" or "PENDING" => TestStatus.Skipped,
        "NOTRUNNABLE" or "DISCONNECTED" or "INPROGRESS" => TestStatus.Error,
        _ => TestStatus.Normalize(outcome),
    };

    /// <summary>Results come before the definitions in a TRX file, so ids are made once the file is read.</summary>
    private static void Emit(List<Pending> read, Dictionary<string, string> classes, TestResultCollector collector)
    {
        foreach (var pending in read)
        {
            var name = pending.TestName;
            var id = classes.TryGetValue(pending.TestId, out var className) && !name.StartsWith(className + ".", StringComparison.Ordinal)
                ? $"{className}.{name}"
                : name;
            collector.Add(id, pending.Status, pending.DurationMs, pending.Message.ToString());
        }
    }

    private sealed class Pending(string testId, string testName, TestStatus status, double? durationMs)
    {
        public string TestId => testId;

        public string TestName => testName;

        public TestStatus Status => status;

        public double? DurationMs => durationMs;

        public StringBuilder Message { get; } = new();
    }
}
