using System.Globalization;
using System.Text;
using System.Xml;

namespace Sparring.Testing.Parsers;

/// <summary>
/// Visual Studio TRX files as <c>dotnet test --logger trx</c> writes them, one per test project.
/// Ids are the <c>UnitTestResult</c> test names: xUnit writes <c>Namespace.Class.Method</c>, with the arguments for theory rows.
/// </summary>
internal sealed class TrxParser : ReportFilesParser
{
    public override string Name => "trx";

    protected override string FormatName => "TRX";

    /// <returns>True when the file has a <c>ResultSummary</c>.</returns>
    protected override bool ParseFile(string path, string content, TestResultCollector collector)
    {
        var open = new Stack<Pending>();
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
                            reader.GetAttribute("testName") ?? "",
                            MapOutcome(reader.GetAttribute("outcome")),
                            TimeSpan.TryParse(reader.GetAttribute("duration"), CultureInfo.InvariantCulture, out var d) ? d.TotalMilliseconds : null);
                        if (reader.IsEmptyElement)
                        {
                            pending.Emit(collector);
                        }
                        else
                        {
                            open.Push(pending);
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
                        open.Pop().Emit(collector);
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            collector.Warn($"{path}: the XML is malformed or truncated ({e.Message}); kept the results read before that point.");
            // An unfinished result still carries its outcome in its start tag, so it is worth keeping.
            foreach (var pending in open)
            {
                pending.Emit(collector);
            }

            return false;
        }

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

    private sealed class Pending(string id, TestStatus status, double? durationMs)
    {
        public StringBuilder Message { get; } = new();

        public void Emit(TestResultCollector collector) => collector.Add(id, status, durationMs, Message.ToString());
    }
}
