namespace Sparring.Agents.Tools.Internal;

/// <summary>The text-action body of the tools that take a name and an optional path: the name on line 1, the path on line 2, or a JSON object.</summary>
internal static class NameAndPathBody
{
    /// <exception cref="ToolArgumentException">The first line is empty (<paramref name="missing"/> says what it should be).</exception>
    public static ToolArguments Parse(string body, string missing)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.TrimStart().StartsWith('{'))
        {
            return ToolArguments.ParseJson(body);
        }

        var lines = body.Split('\n').Select(l => l.Trim()).ToList();
        if (lines[0].Length == 0)
        {
            throw new ToolArgumentException($"the first line of the body must be {missing}");
        }

        return lines.Count > 1 && lines[1].Length > 0
            ? ToolArguments.FromStrings([new("name", lines[0]), new("path", lines[1])])
            : ToolArguments.FromStrings([new("name", lines[0])]);
    }
}
