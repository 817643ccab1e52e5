namespace Sparring.Testing.Parsers;

/// <summary>
/// Gathers results while a parser reads: keeps first-seen order, merges duplicate ids (the worse
/// status wins), trims messages and caps the number of warnings so garbage input stays cheap.
/// </summary>
internal sealed class TestResultCollector
{
    internal const int MaxMessageLength = 500;
    private const int MaxWarnings = 50;

    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly List<TestResult> results = [];
    private readonly List<string> warnings = [];
    private int droppedWarnings;
    private int? reportedTotal;

    public int Count => results.Count;

    public bool Contains(string id) => index.ContainsKey(id);

    public void Add(string id, TestStatus status, double? durationMs = null, string? message = null)
    {
        id = id.Trim();
        if (id.Length == 0)
        {
            Warn("A test without a name was ignored.");
            return;
        }

        var result = new TestResult { Id = id, Status = status, DurationMs = durationMs, Message = Trim(message) };
        if (!index.TryGetValue(id, out var at))
        {
            index[id] = results.Count;
            results.Add(result);
            return;
        }

        var old = results[at];
        results[at] = Rank(status) > Rank(old.Status)
            ? result with { Message = result.Message ?? old.Message, DurationMs = result.DurationMs ?? old.DurationMs }
            : old with { Message = old.Message ?? result.Message, DurationMs = old.DurationMs ?? result.DurationMs };
    }

    /// <summary>Adds to the total the runner's own summary reports (once per report file or summary line).</summary>
    public void Reported(int total) => reportedTotal = (reportedTotal ?? 0) + total;

    public void Warn(string warning)
    {
        if (warnings.Count < MaxWarnings)
        {
            warnings.Add(warning);
        }
        else
        {
            droppedWarnings++;
        }
    }

    public ParsedReport Build(bool sawCompletion)
    {
        var allWarnings = new List<string>(warnings);
        if (droppedWarnings > 0)
        {
            allWarnings.Add($"{droppedWarnings} more warnings were left out.");
        }

        return new ParsedReport { Tests = results.ToArray(), SawCompletion = sawCompletion, ReportedTotal = reportedTotal, Warnings = allWarnings };
    }

    /// <summary>Error beats failed beats skipped beats passed; an unknown status sits just above passed.</summary>
    internal static int Rank(TestStatus status)
    {
        if (status == TestStatus.Error)
        {
            return 4;
        }

        if (status == TestStatus.Failed)
        {
            return 3;
        }

        if (status == TestStatus.Skipped)
        {
            return 2;
        }

        return status == TestStatus.Passed ? 0 : 1;
    }

    internal static string? Trim(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        message = message.Trim();
        return message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength - 1), "…");
    }

    /// <summary>Shortens a piece of input for quoting in a warning.</summary>
    internal static string Excerpt(string text)
    {
        text = text.Trim();
        return text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
    }
}
