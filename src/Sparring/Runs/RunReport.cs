using Sparring.Internal;
using System.Text;
using Sparring.Runs.Report;

namespace Sparring.Runs;

/// <summary>
/// The run report: one self-contained HTML page (inline stylesheet and script, no network, works from
/// <c>file://</c>) with the run's totals, four charts drawn as SVG by the page's script from the embedded summary,
/// and a sortable table of every valid bug linking to its <c>bug_inject.diff</c>.
/// </summary>
/// <remarks>
/// The summary is embedded as JSON in <c>&lt;script type="application/json" id="run-data"&gt;</c> with <c>&lt;/</c>
/// escaped; everything else printed is HTML-encoded, and a Content-Security-Policy allows only the page's own
/// stylesheet and script (by hash). <see cref="Render"/> is pure: the same summary gives the same bytes. Thread-safe.
/// See <c>docs/report.md</c>.
/// </remarks>
public static class RunReport
{
    /// <summary>The file <see cref="WriteAsync"/> writes in the run directory.</summary>
    public const string FileName = "report.html";

    /// <summary>Renders the report page for <paramref name="summary"/>.</summary>
    public static string Render(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var html = new StringBuilder(32_768 + (summary.Bugs.Count * 640));
        ReportPage.AppendHead(html, summary);
        ReportPage.AppendHeader(html, summary);
        ReportPage.AppendCharts(html);
        ReportTable.Append(html, summary.Bugs);
        ReportPage.AppendDataAndScript(html, summary);
        return html.ToString();
    }

    /// <summary>Writes <c>report.html</c> into <paramref name="runDirectory"/> (created if missing).</summary>
    /// <remarks>Written to a temporary file in the same directory and renamed over the old report, so a reader never
    /// sees half a page and a crash leaves the previous report.</remarks>
    public static async Task WriteAsync(RunSummary summary, string runDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        var html = Render(summary);
        await AtomicFile.WriteAllTextAsync(Path.Combine(runDirectory, FileName), html, cancellationToken).ConfigureAwait(false);
    }
}
