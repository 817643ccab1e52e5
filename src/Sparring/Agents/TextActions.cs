using System.Text.RegularExpressions;

namespace Sparring.Agents;

/// <summary>CWM's text action format: <c>&lt;tool: NAME&gt;</c>, a body, <c>&lt;/tool&gt;</c>; one call per turn.</summary>
public static partial class TextActions
{
    /// <summary>Finds the first action in <paramref name="text"/>.</summary>
    /// <returns>The tool name and body, or an error message for the model; <c>Extra</c> counts further actions (ignored).</returns>
    public static (string? Name, string? Body, string? Error, int Extra) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var opens = OpenTag().Matches(text);
        if (opens.Count == 0)
        {
            return (null, null, "no action found: end your message with exactly one tool call in the form\n<tool: NAME>\n…\n</tool>", 0);
        }

        var open = opens[0];
        var bodyStart = open.Index + open.Length;
        var close = text.IndexOf("</tool>", bodyStart, StringComparison.Ordinal);
        if (close < 0)
        {
            return (null, null, $"the action <tool: {open.Groups[1].Value}> is not closed: end it with </tool> on its own line", 0);
        }

        var body = text[bodyStart..close];
        if (body.StartsWith('\n'))
        {
            body = body[1..];
        }

        if (body.EndsWith('\n'))
        {
            body = body[..^1];
        }

        var extra = opens.Count(m => m.Index > close);
        return (open.Groups[1].Value, body, null, extra);
    }

    /// <summary>Formats a call the way <see cref="Parse"/> reads it (for prompts and replays).</summary>
    public static string Format(string name, string body) => $"<tool: {name}>\n{body}\n</tool>";

    [GeneratedRegex(@"<tool:\s*([A-Za-z0-9_\-]+)\s*>")]
    private static partial Regex OpenTag();
}
