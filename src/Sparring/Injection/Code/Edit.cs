namespace Sparring.Injection.Code;

/// <summary>A replacement of <see cref="Length"/> characters at <see cref="Start"/> in one file's text.</summary>
internal sealed record Edit(int Start, int Length, string Replacement)
{
    /// <summary>Applies non-overlapping edits (in any order) to a text.</summary>
    public static string Apply(string text, IEnumerable<Edit> edits)
    {
        var result = text;
        foreach (var edit in edits.OrderByDescending(e => e.Start))
        {
            result = string.Concat(result.AsSpan(0, edit.Start), edit.Replacement, result.AsSpan(edit.Start + edit.Length));
        }

        return result;
    }
}
