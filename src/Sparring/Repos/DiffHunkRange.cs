using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparring.Repos;

/// <summary>The ranges of a hunk header, <c>@@ -a,b +c,d @@</c>; a count left out is 1, as in the unified format.</summary>
/// <remarks>
/// Each number is read when it is asked for, so a reader that needs only some of them never fails on another
/// (a number too large for an <see cref="int"/> throws <see cref="OverflowException"/> when read).
/// </remarks>
public sealed partial class DiffHunkRange
{
    private readonly Match _match;

    private DiffHunkRange(Match match) => _match = match;

    /// <summary>The first line on the old side.</summary>
    public int OldStart => Number(_match.Groups["oldStart"]);

    /// <summary>How many lines of the old side the hunk covers.</summary>
    public int OldCount => CountOrOne(_match.Groups["old"]);

    /// <summary>The first line on the new side.</summary>
    public int NewStart => Number(_match.Groups["newStart"]);

    /// <summary>How many lines of the new side the hunk covers.</summary>
    public int NewCount => CountOrOne(_match.Groups["new"]);

    /// <summary>The ranges of <paramref name="line"/>, or null when it does not start with a hunk header.</summary>
    public static DiffHunkRange? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = HunkHeader().Match(line);
        return match.Success ? new DiffHunkRange(match) : null;
    }

    private static int Number(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int CountOrOne(Group group) => group.Success ? Number(group) : 1;

    [GeneratedRegex(@"^@@ -(?<oldStart>\d+)(?:,(?<old>\d+))? \+(?<newStart>\d+)(?:,(?<new>\d+))? @@", RegexOptions.CultureInvariant)]
    private static partial Regex HunkHeader();
}
