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
        var files = input.ReportFiles.Where(f => IsReport(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            // A custom command may name its report as it likes.
            files = input.ReportFiles.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        }

        var allComplete = files.Count > 0;
        foreach (var (path, content) in files)
        {
            allComplete &= ParseFile(path, content, collector);
        }

        if (files.Count == 0)
        {
            collector.Warn($"No {FormatName} report file was found.");
        }

        if (collector.Merged is (> 0, { } first))
        {
            // Theory rows or test cases whose display names coincide: the runner's total counts each of them.
            collector.Warn($"{collector.Merged.Count} result(s) repeated an id already reported (e.g. '{TestResultCollector.Excerpt(first)}') and were merged into it, the worse status kept; the runner's own total counts them separately.");
        }

        return collector.Build(allComplete);
    }

    /// <summary>Whether a file of the results folder is one of this format's reports (test frameworks also leave HTML and JSON there); when none is, every file is read.</summary>
    protected virtual bool IsReport(string path) => true;

    /// <summary>Reads one file into the collector.</summary>
    /// <returns>True when the file shows its run reached the end.</returns>
    protected abstract bool ParseFile(string path, string content, TestResultCollector collector);
}
