namespace Sparring.Testing.Parsers;

/// <summary>
/// Gathers results while a parser reads: keeps first-seen order, merges duplicate ids (the worse
/// status wins) or numbers them, trims messages and caps the number of warnings so garbage input stays cheap.
/// </summary>
/// <remarks>
/// Whether a repeated id is the same test depends on the runner. pytest repeats an id for a test's setup or
/// teardown error, so repeats merge. JavaScript runners run every <c>it("same title")</c> of a file as its own
/// test, in the file's order, so with <paramref name="numberRepeats"/> the n-th repeat of an id (n ≥ 2) becomes
/// <c>id [#n]</c>: the same tree gives the same ids on every run, and each test is graded on its own.
/// </remarks>
/// <param name="numberRepeats">Give repeated ids a <see cref="RepeatSuffix"/> instead of merging them
/// (<see cref="AddMerged"/> still merges).</param>
internal sealed class TestResultCollector(bool numberRepeats = false)
{
    internal const int MaxMessageLength = 500;
    private const int MaxWarnings = 50;

    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> repeats = new(StringComparer.Ordinal);
    private readonly List<TestResult> results = [];
    private readonly List<string> warnings = [];
    private int droppedWarnings;
    private int? reportedTotal;

    public int Count => results.Count;

    /// <summary>Results merged into one seen before with the same id, and the first such id.</summary>
    public (int Count, string? FirstId) Merged { get; private set; }

    public bool Contains(string id) => index.ContainsKey(id);

    /// <summary>The suffix of the <paramref name="n"/>-th result with one id (n ≥ 2) when repeats are numbered: <c>" [#2]"</c>.</summary>
    public static string RepeatSuffix(int n) => $" [#{n}]";

    /// <summary>Adds a result; a repeated id is merged, or numbered when the collector numbers repeats.</summary>
    public void Add(string id, TestStatus status, double? durationMs = null, string? message = null)
    {
        id = id.Trim();
        if (numberRepeats && index.ContainsKey(id))
        {
            var n = repeats.GetValueOrDefault(id, 1);
            string numbered;
            do
            {
                numbered = id + RepeatSuffix(++n);
            }
            while (index.ContainsKey(numbered));

            repeats[id] = n;
            id = numbered;
        }

        AddMerged(id, status, durationMs, message);
    }

    /// <summary>Adds a result whose repeats are the same test (a file that failed to load, a failed hook): they merge, the worse status wins.</summary>
    public void AddMerged(string id, TestStatus status, double? durationMs = null, string? message = null)
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

        Merged = (Merged.Count + 1, Merged.FirstId ?? id);
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
