using System.Globalization;
using System.Text;
using Sparring.Rewards;
using Sparring.Runs;

namespace Sparring.Runs.Report;

/// <summary>The table of valid bugs, rendered as HTML so it reads without JavaScript; the script only sorts it.</summary>
/// <remarks>Each row carries <c>data-i</c>, its index in the embedded summary's <c>bugs</c>, which the sort reads
/// values from; each header button's <c>data-key</c> is that bug's JSON property.</remarks>
internal static class ReportTable
{
    private static readonly (string Key, string Title, bool Numeric)[] Columns =
    [
        ("id", "Bug", false),
        ("round", "Round", true),
        ("strategy", "Strategy", false),
        ("order", "Order", true),
        ("attempts", "Attempts", true),
        ("solved", "Solved", true),
        ("tampered", "Tampered", true),
        ("solveRate", "Solve rate", true),
        ("injectorReward", "Injector reward", true),
    ];

    public static void Append(StringBuilder html, IReadOnlyList<BugSummary> bugs)
    {
        html.Append("<section>\n<h2>Bugs (").Append(ReportFormat.Count(bugs.Count)).Append(")</h2>\n");
        if (bugs.Count == 0)
        {
            html.Append("<p class=\"empty\">No valid bugs in this run.</p>\n</section>\n");
            return;
        }

        html.Append("<div class=\"table-wrap\">\n<table id=\"bugs\">\n<thead><tr>");
        foreach (var (key, title, numeric) in Columns)
        {
            html.Append(numeric ? "<th class=\"num\">" : "<th>")
                .Append("<button type=\"button\" data-key=\"").Append(key).Append("\">").Append(title).Append("</button></th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        for (var i = 0; i < bugs.Count; i++)
        {
            AppendRow(html, i, bugs[i]);
        }

        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void AppendRow(StringBuilder html, int index, BugSummary bug)
    {
        var rewardClass = ReportFormat.RewardClass(bug.InjectorReward);
        html.Append("<tr data-i=\"").Append(index.ToString(CultureInfo.InvariantCulture)).Append("\"><td><a href=\"")
            .Append(ReportFormat.Html(ReportFormat.DiffHref(bug.Path))).Append("\">").Append(ReportFormat.Html(bug.Id)).Append("</a></td>")
            .Append("<td class=\"num\">").Append(ReportFormat.Count(bug.Round)).Append("</td>")
            .Append("<td>").Append(ReportFormat.Html(bug.Strategy)).Append("</td>")
            .Append("<td class=\"num\">").Append(ReportFormat.Count(bug.Order)).Append("</td>")
            .Append("<td class=\"num\">").Append(ReportFormat.Count(bug.Attempts)).Append("</td>")
            .Append("<td class=\"num\">").Append(ReportFormat.Count(bug.Solved)).Append("</td>")
            .Append(bug.Tampered > 0 ? "<td class=\"num tampered\">" : "<td class=\"num\">").Append(ReportFormat.Count(bug.Tampered)).Append("</td>")
            .Append("<td class=\"num\">").Append(ReportFormat.Percent(bug.SolveRate)).Append("</td>")
            .Append(rewardClass.Length == 0 ? "<td class=\"num\">" : "<td class=\"num " + rewardClass + "\">")
            .Append(ReportFormat.Reward(bug.InjectorReward)).Append("</td></tr>\n");
    }
}
