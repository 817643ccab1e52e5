namespace Sparring.Repos;

/// <summary>One file's section of a git diff: its header (<c>diff --git</c> to the line before the first hunk) and its hunks.</summary>
/// <param name="Path">The file's path on the <c>b/</c> side of the <c>diff --git</c> line.</param>
/// <param name="Header">The header's lines, each with its line ending.</param>
/// <param name="Hunks">The hunks, in the diff's order.</param>
public sealed record DiffFileSection(string Path, string Header, IReadOnlyList<DiffHunk> Hunks)
{
    /// <summary>The section as diff text again: the header followed by the hunks, so a section with fewer hunks is still a valid diff.</summary>
    public string Text => Header + string.Concat(Hunks.Select(h => h.Text));
}
