namespace Sparring.Repos;

/// <summary>One hunk of a file's section: its text from <c>@@</c> to the next hunk, and the range it covers in the tree it applies to.</summary>
/// <param name="Text">The hunk's lines, from its <c>@@</c> header on, each with its line ending.</param>
/// <param name="OldStart">The first line of the range in the tree the diff applies to (0 when the header could not be read).</param>
/// <param name="OldCount">How many lines of that tree the hunk covers.</param>
public sealed record DiffHunk(string Text, int OldStart, int OldCount)
{
    /// <summary>The last line of the range; a hunk that covers no line (a pure addition) ends where it starts.</summary>
    public int OldEnd => OldStart + Math.Max(OldCount, 1) - 1;
}
