using System.Globalization;
using System.Xml;

namespace Sparring.Testing.Parsers;

/// <summary>Shared XML reading for report parsers: a forgiving, streaming reader so a truncated file still yields what came before the break.</summary>
internal static class ReportXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        // Runners write control characters from test output into reports; reading them is better than losing the file.
        CheckCharacters = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static XmlReader Create(string content) =>
        XmlReader.Create(new StringReader(content.TrimStart('\uFEFF', ' ', '\t', '\r', '\n')), Settings);

    /// <summary>Seconds as written in a <c>time</c> attribute, converted to milliseconds.</summary>
    public static double? SecondsToMs(string? seconds) =>
        double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0 ? s * 1000 : null;

    /// <summary>Appends element text to a buffer without letting a huge stack trace grow it without bound.</summary>
    public static void AppendCapped(System.Text.StringBuilder buffer, string text)
    {
        var room = 4 * TestResultCollector.MaxMessageLength - buffer.Length;
        if (room > 0)
        {
            buffer.Append(text.AsSpan(0, Math.Min(room, text.Length)));
        }
    }
}
