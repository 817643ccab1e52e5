namespace Sparring.Testing.Parsers;

/// <summary>
/// The shared shape of parsers that read report files (JUnit XML, TRX, jest JSON): every file is read in
/// name order into one collector, and the run counts as complete only when every file was.
/// </summary>
internal abstract class ReportFilesParser : ITestReportParser
{
    public abstract string Name { get; }

    public ReportSource Source => ReportSource.ReportFiles;

    /// <summary>The format's name for messages ("JUnit XML").</summary>
    protected abstract string FormatName { get; }

    /// <summary>Whether a repeated id is another test (numbered) rather than the same one (merged); see <see cref="TestResultCollector"/>.</summary>
    protected virtual bool NumberRepeats => false;

    public ParsedReport Parse(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var collector = new TestResultCollector(NumberRepeats);
        var allComplete = input.ReportFiles.Count > 0;
        foreach (var (path, content) in input.ReportFiles.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            allComplete &= ParseFile(path, content, collector);
        }

        if (input.ReportFiles.Count == 0)
        {
            collector.Warn($"No {FormatName} report file was found.");
        }

        return collector.Build(allComplete);
    }

    /// <summary>Reads one file into the collector.</summary>
    /// <returns>True when the file shows its run reached the end.</returns>
    protected abstract bool ParseFile(string path, string content, TestResultCollector collector);
}
