using System.Net;
using System.Text.RegularExpressions;

namespace Sparring.Tests.Runs;

/// <summary>Pieces of a report page (as written, or as dumped by chromium) found by pattern, for assertions.</summary>
/// <remarks>Patterns, not a parser: the test project has no HTML parser, and the report's markup (and chromium's
/// serialization of it) is regular enough. Each helper fails the test when the piece is missing.</remarks>
internal static partial class ReportDom
{
    /// <summary>The inner HTML of the <c>figure.chart</c> with this id.</summary>
    public static string Figure(string html, string id)
    {
        var match = Regex.Match(html, "<figure class=\"chart\" id=\"" + Regex.Escape(id) + "\">(.*?)</figure>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no figure.chart#{id}");
        return match.Groups[1].Value;
    }

    /// <summary>The opening tag of the first SVG in <paramref name="html"/>.</summary>
    public static string SvgTag(string html)
    {
        var match = SvgOpening().Match(html);
        Assert.True(match.Success, "no <svg>");
        return match.Value;
    }

    /// <summary>The decoded <c>&lt;title&gt;</c> of every <c>rect.bar</c>, in document order.</summary>
    public static IReadOnlyList<string> BarTitles(string html) =>
        [.. BarTitle().Matches(html).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value))];

    public static int BarCount(string html) => Bar().Count(html);

    /// <summary>The decoded value of <paramref name="name"/> on the first tag starting with <paramref name="element"/> (a name, or a name and its first attribute), or null.</summary>
    public static string? Attribute(string html, string element, string name)
    {
        var tag = Regex.Match(html, "<" + Regex.Escape(element) + "(?=[\\s/>])[^>]*>");
        Assert.True(tag.Success, $"no <{element}>");
        var attribute = Regex.Match(tag.Value, "\\s" + Regex.Escape(name) + "=\"([^\"]*)\"");
        return attribute.Success ? WebUtility.HtmlDecode(attribute.Groups[1].Value) : null;
    }

    /// <summary>The text of the run-data block, up to the first <c>&lt;/script&gt;</c> (as a browser reads it).</summary>
    public static string RunData(string html)
    {
        var match = RunDataBlock().Match(html);
        Assert.True(match.Success, "no script#run-data");
        return match.Groups[1].Value;
    }

    public static IReadOnlyList<string> Hrefs(string html) =>
        [.. Href().Matches(html).Select(match => WebUtility.HtmlDecode(match.Groups[1].Value))];

    public static int Count(string html, string text)
    {
        var count = 0;
        for (var at = html.IndexOf(text, StringComparison.Ordinal); at >= 0; at = html.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex("<svg\\b[^>]*>")]
    private static partial Regex SvgOpening();

    [GeneratedRegex("<rect\\b[^>]*\\bclass=\"bar\"[^>]*>\\s*<title>(.*?)</title>", RegexOptions.Singleline)]
    private static partial Regex BarTitle();

    [GeneratedRegex("<rect\\b[^>]*\\bclass=\"bar\"")]
    private static partial Regex Bar();

    [GeneratedRegex("<script type=\"application/json\" id=\"run-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex RunDataBlock();

    [GeneratedRegex("<a\\b[^>]*\\bhref=\"([^\"]*)\"")]
    private static partial Regex Href();
}
