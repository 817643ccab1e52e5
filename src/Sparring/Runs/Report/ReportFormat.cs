using System.Globalization;
using System.Text;

namespace Sparring.Runs.Report;

/// <summary>How the report prints values: invariant culture, HTML-encoded, a dash for a missing number.</summary>
internal static class ReportFormat
{
    /// <summary>Shown for NaN or infinity (a mean over nothing), so the page never prints "NaN".</summary>
    public const string Missing = "\u2014";

    /// <summary>
    /// Encodes the five characters that matter in text and in double-quoted attributes. Unlike
    /// <c>WebUtility.HtmlEncode</c> it keeps other characters as they are (the page is UTF-8), so a middle dot or a
    /// non-Latin strategy name stays readable in the source.
    /// </summary>
    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text ?? string.Empty;
        }

        var encoded = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => encoded.Append("&amp;"),
                '<' => encoded.Append("&lt;"),
                '>' => encoded.Append("&gt;"),
                '"' => encoded.Append("&quot;"),
                '\'' => encoded.Append("&#39;"),
                _ => encoded.Append(c),
            };
        }

        return encoded.ToString();
    }

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double ratio) =>
        double.IsFinite(ratio) ? (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : Missing;

    public static string Reward(double value) =>
        double.IsFinite(value) ? value.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : Missing;

    /// <summary>The CSS class that colours a reward, or none for zero and missing values.</summary>
    public static string RewardClass(double value) => value > 0 ? "pos" : value < 0 ? "neg" : string.Empty;

    /// <summary>The CSS class that marks a count of tampered attempts, or none when there are none.</summary>
    public static string TamperedClass(int tampered) => tampered > 0 ? "tampered" : string.Empty;

    /// <summary>
    /// The relative link to a bug's injection diff: each segment of <paramref name="artifactPath"/> URL-encoded,
    /// leading slashes and empty segments dropped, so a path can neither leave the run directory's URL space by
    /// scheme (<c>javascript:</c> becomes <c>javascript%3A</c>) nor become an absolute link.
    /// </summary>
    public static string DiffHref(string? artifactPath)
    {
        var segments = (artifactPath ?? string.Empty)
            .Replace('\\', '/')
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(Uri.EscapeDataString)
            .Append("bug_inject.diff");
        return string.Join('/', segments);
    }
}
