using System.Diagnostics;
using System.Text.Json;
using Sparring.Runs.Report;
using Sparring.Runs;
using Sparring.TestUtilities;
using Xunit.Abstractions;

namespace Sparring.Tests.Runs;

public sealed class RunReportTests(ITestOutputHelper output)
{
    private static readonly string[] ChartIds = ["chart-solve-rate", "chart-injector-reward", "chart-rejections", "chart-stage-time"];

    [Fact]
    public void Render_MixedSummary_EmbedsTheSummaryAsParseableJson()
    {
        // Arrange
        var summary = SampleRunSummaries.Mixed();

        // Act
        var html = RunReport.Render(summary);

        // Assert
        var embedded = JsonSerializer.Deserialize(ReportDom.RunData(html), RunReportJsonContext.Default.RunSummary)!;
        Assert.Equal(summary.Bugs, embedded.Bugs);
        Assert.Equal(summary.ByStrategy, embedded.ByStrategy);
        Assert.Equal(summary.RejectedByCheck, embedded.RejectedByCheck);
        Assert.Equal(summary.SecondsByStage, embedded.SecondsByStage);
        Assert.Equal(summary.MeanReward, embedded.MeanReward);
        Assert.Equal((summary.Rounds, summary.BugsTried, summary.Valid, summary.Attempts, summary.Solved), (embedded.Rounds, embedded.BugsTried, embedded.Valid, embedded.Attempts, embedded.Solved));
        using var document = JsonDocument.Parse(ReportDom.RunData(html));
        Assert.Equal(5, document.RootElement.GetProperty("bugs").GetArrayLength());
        Assert.Equal("removal-0001", document.RootElement.GetProperty("bugs")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Render_MixedSummary_PrintsTotalsChartFramesAndTable()
    {
        // Arrange
        var summary = SampleRunSummaries.Mixed();

        // Act
        var html = RunReport.Render(summary);

        // Assert
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Bugs tried</dt><dd>14</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Valid</dt><dd>5 <small>35.7% of tried</small></dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Solve rate</dt><dd>41.7%</dd>", html, StringComparison.Ordinal);
        Assert.True(
            html.IndexOf("<dt>Mean reward \u00b7 solver</dt><dd>-0.17</dd>", StringComparison.Ordinal) is var solver and >= 0
            && html.IndexOf("<dt>Mean reward \u00b7 injector</dt><dd>+0.09</dd>", StringComparison.Ordinal) > solver,
            "mean rewards: solver, then injector");
        Assert.Contains("<code title=\"0123456789abcdef0123456789abcdef01234567\">0123456789ab</code>", html, StringComparison.Ordinal);
        foreach (var id in ChartIds)
        {
            Assert.Equal(1, ReportDom.Count(html, $"<figure class=\"chart\" id=\"{id}\">"));
            Assert.Null(ReportDom.Attribute(ReportDom.Figure(html, id), "svg", "data-drawn"));
        }

        Assert.Equal(5, ReportDom.Count(html, "<tr data-i="));
        Assert.Contains("<td class=\"num neg\">-0.58</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num pos\">+0.78</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AnySummary_IsSelfContainedUnderAStrictContentSecurityPolicy()
    {
        // Arrange
        var summary = SampleRunSummaries.Mixed();

        // Act
        var html = RunReport.Render(summary);

        // Assert
        var withoutSvgNamespace = html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal);
        foreach (var external in new[] { "http:", "https:", "//cdn", "<link", "@import", "url(", " src=" })
        {
            Assert.DoesNotContain(external, withoutSvgNamespace, StringComparison.OrdinalIgnoreCase);
        }

        var policy = ReportDom.Attribute(html, "meta http-equiv=\"Content-Security-Policy\"", "content")!;
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal(RunReport.Render(summary), html);
    }

    [Fact]
    public void Render_BugIdClosingTheScriptTag_StaysInsideTheJsonAndIsEncodedInTheTable()
    {
        // Arrange
        var summary = SampleRunSummaries.Mixed() with { Repository = "<img onerror=x>" };

        // Act
        var html = RunReport.Render(summary);

        // Assert
        Assert.Equal(2, ReportDom.Count(html, "</script>"));
        Assert.Equal(2, ReportDom.Count(html, "<script"));
        Assert.Equal(0, ReportDom.Count(html, "<!--"));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        var embedded = JsonSerializer.Deserialize(ReportDom.RunData(html), RunReportJsonContext.Default.RunSummary)!;
        Assert.Equal(SampleRunSummaries.HostileId, embedded.Bugs[2].Id);
        Assert.Equal("<img onerror=x>", embedded.Repository);
        Assert.Contains(">&lt;/script&gt;&lt;script&gt;document.body.dataset.pwned=&#39;yes&#39;&lt;/script&gt;&lt;!--</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;img onerror=x&gt;</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TamperedAttempts_MarkedInTotalsAndTableAndKeptInTheData()
    {
        // Arrange: two of the twelve attempts were graded tampered, on the second bug.
        var mixed = SampleRunSummaries.Mixed();
        var summary = mixed with
        {
            Tampered = 2,
            Bugs = [.. mixed.Bugs.Select((b, i) => i == 1 ? b with { Tampered = 2 } : b)],
            ByStrategy = [.. mixed.ByStrategy.Select(g => g.Strategy == "mutation" ? g with { Tampered = 2 } : g)],
        };

        // Act
        var html = RunReport.Render(summary);
        var untouched = RunReport.Render(mixed);

        // Assert
        Assert.Contains("<dt>Tampered</dt><dd class=\"tampered\">2 <small>not solved</small></dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Tampered</dt><dd>0</dd>", untouched, StringComparison.Ordinal);
        Assert.Contains("<button type=\"button\" data-key=\"tampered\">Tampered</button>", html, StringComparison.Ordinal);
        Assert.Equal(1, ReportDom.Count(html, "<td class=\"num tampered\">2</td>"));
        Assert.Equal(0, ReportDom.Count(untouched, "num tampered"));
        var embedded = JsonSerializer.Deserialize(ReportDom.RunData(html), RunReportJsonContext.Default.RunSummary)!;
        Assert.Equal(2, embedded.Tampered);
        Assert.Equal(2, embedded.Bugs[1].Tampered);
        Assert.Equal(summary.ByStrategy, embedded.ByStrategy);
        Assert.Contains(".tampered {", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BugPaths_LinkEachDiffRelativelyWithEncodedSegments()
    {
        // Arrange
        var summary = SampleRunSummaries.Mixed();

        // Act
        var hrefs = ReportDom.Hrefs(RunReport.Render(summary));

        // Assert
        Assert.Equal(
            [
                "rounds/1/bugs/removal-0001/bug_inject.diff",
                "rounds/1/bugs/mutation-0002/bug_inject.diff",
                "rounds/1/bugs/hostile/bug_inject.diff",
                "rounds/2/bugs/odd%20name%231/bug_inject.diff",
                "rounds/2/bugs/javascript%3Aalert%281%29/bug_inject.diff",
            ],
            hrefs);
        Assert.All(hrefs, href => Assert.False(href.StartsWith('/') || href.Contains(':', StringComparison.Ordinal), href));
    }

    [Fact]
    public void Render_NonFiniteRates_PrintsDashesAndEmbedsNamedLiterals()
    {
        // Arrange
        var summary = SampleRunSummaries.Empty();

        // Act
        var html = RunReport.Render(summary);

        // Assert
        Assert.Contains("<dt>Solve rate</dt><dd>\u2014</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Mean reward \u00b7 injector</dt><dd>\u2014</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"empty\">No valid bugs in this run.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(ReportDom.RunData(html));
        Assert.Equal("NaN", document.RootElement.GetProperty("solveRate").GetString());
        var printed = html[..html.IndexOf("<script", StringComparison.Ordinal)];
        Assert.DoesNotContain("NaN", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ExistingReport_ReplacesItWithNoTemporaryFileLeft()
    {
        // Arrange
        using var temp = new TempDirectory();
        var runDirectory = Path.Combine(temp.Path, "run");
        var summary = SampleRunSummaries.Mixed();
        await RunReport.WriteAsync(SampleRunSummaries.Empty(), runDirectory);

        // Act
        await RunReport.WriteAsync(summary, runDirectory);

        // Assert
        Assert.Equal(RunReport.Render(summary), await File.ReadAllTextAsync(Path.Combine(runDirectory, "report.html")));
        Assert.Equal(["report.html"], Directory.GetFiles(runDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Render_OpenedInHeadlessChromium_DrawsEveryChart()
    {
        // Arrange
        using var temp = new TempDirectory();
        await RunReport.WriteAsync(SampleRunSummaries.Mixed(), temp.Path);

        // Act
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(temp.Path, "report.html"));

        // Assert
        Assert.Equal("ok", ReportDom.Attribute(dom, "body", "data-charts"));
        Assert.Null(ReportDom.Attribute(dom, "body", "data-pwned"));
        foreach (var id in ChartIds)
        {
            var svg = ReportDom.SvgTag(ReportDom.Figure(dom, id));
            Assert.Equal("true", ReportDom.Attribute(svg, "svg", "data-drawn"));
            Assert.StartsWith("0 0 560 ", ReportDom.Attribute(svg, "svg", "viewBox"), StringComparison.Ordinal);
            Assert.DoesNotContain("no-data", ReportDom.Figure(dom, id), StringComparison.Ordinal);
        }

        Assert.Equal(
            [
                "mutation \u00b7 order 1: 66.7% solved (4 of 6 attempts, 2 bugs)",
                "removal \u00b7 order 1: 25.0% solved (1 of 4 attempts, 2 bugs)",
                "removal \u00b7 order 2: 0.0% solved (0 of 2 attempts, 1 bug)",
            ],
            ReportDom.BarTitles(ReportDom.Figure(dom, "chart-solve-rate")));
        Assert.Equal(
            [
                "[-1.0, -0.8): 0 bugs", "[-0.8, -0.6): 1 bug", "[-0.6, -0.4): 1 bug", "[-0.4, -0.2): 0 bugs", "[-0.2, 0.0): 0 bugs",
                "[0.0, 0.2): 0 bugs", "[0.2, 0.4): 1 bug", "[0.4, 0.6): 0 bugs", "[0.6, 0.8): 1 bug", "[0.8, 1.0]: 1 bug",
            ],
            ReportDom.BarTitles(ReportDom.Figure(dom, "chart-injector-reward")));
        Assert.Equal(
            ["no-failing-test: 5 rejected", "tests-fail-before: 3 rejected", "diff-too-large: 1 rejected"],
            ReportDom.BarTitles(ReportDom.Figure(dom, "chart-rejections")));
        Assert.Equal(
            ["inject: 13s (12.5 s)", "solve: 5m 40s (340.2 s)", "higher-order: 1m 1s (61.0 s)"],
            ReportDom.BarTitles(ReportDom.Figure(dom, "chart-stage-time")));
        Assert.Equal(3 + 10 + 3 + 3, ReportDom.BarCount(dom));
        Assert.Equal(5, ReportDom.Count(dom, "<tr data-i="));
    }

    [Fact]
    public async Task Render_EmptySummaryInHeadlessChromium_DrawsNoDataInEveryChart()
    {
        // Arrange
        using var temp = new TempDirectory();
        await RunReport.WriteAsync(SampleRunSummaries.Empty(), temp.Path);

        // Act
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(temp.Path, "report.html"));

        // Assert
        Assert.Equal("ok", ReportDom.Attribute(dom, "body", "data-charts"));
        foreach (var id in ChartIds)
        {
            var figure = ReportDom.Figure(dom, id);
            Assert.Equal("true", ReportDom.Attribute(ReportDom.SvgTag(figure), "svg", "data-drawn"));
            Assert.Equal("true", ReportDom.Attribute(ReportDom.SvgTag(figure), "svg", "data-empty"));
            Assert.Equal(0, ReportDom.BarCount(figure));
            Assert.Matches("<text class=\"no-data\"[^>]*>No data</text>", figure);
        }
    }

    [Fact]
    public async Task Render_FiveThousandBugs_RendersEveryRowAndDrawsInChromium()
    {
        // Arrange
        var summary = SampleRunSummaries.Large(5_000);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var html = RunReport.Render(summary);
        stopwatch.Stop();

        // Assert
        output.WriteLine($"rendered 5,000 bugs in {stopwatch.ElapsedMilliseconds} ms ({html.Length:N0} chars)");
        Assert.Equal(5_000, ReportDom.Count(html, "<tr data-i="));
        using (var document = JsonDocument.Parse(ReportDom.RunData(html)))
        {
            Assert.Equal(5_000, document.RootElement.GetProperty("bugs").GetArrayLength());
        }

        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "report.html"), html);
        var dom = await HeadlessChromium.DumpDomAsync(Path.Combine(temp.Path, "report.html"));
        Assert.Equal("ok", ReportDom.Attribute(dom, "body", "data-charts"));
        Assert.Equal(8, ReportDom.BarCount(ReportDom.Figure(dom, "chart-solve-rate")));
        var bins = ReportDom.BarTitles(ReportDom.Figure(dom, "chart-injector-reward"));
        Assert.Equal(10, bins.Count);
        Assert.Equal(5_000, bins.Sum(title => int.Parse(title.Split(": ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
