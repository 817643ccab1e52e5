namespace Sparring.Repos;

/// <summary>What a line of a unified diff is, read as <c>git apply</c> reads it (see <see cref="DiffLines"/>).</summary>
public enum DiffLineKind
{
    /// <summary><c>diff --git a/… b/…</c>.</summary>
    GitHeader,

    /// <summary>The <c>--- </c> line of a <c>---</c>/<c>+++</c> pair.</summary>
    OldFile,

    /// <summary>The <c>+++ </c> line of a <c>---</c>/<c>+++</c> pair: the file the hunks after it change.</summary>
    NewFile,

    /// <summary><c>@@ -a,b +c,d @@</c>.</summary>
    HunkHeader,

    /// <summary>A <c>+</c> line: in a hunk body, or outside any hunk (a hand-written diff with wrong counts).</summary>
    Added,

    /// <summary>A <c>-</c> line: in a hunk body, or outside any hunk.</summary>
    Removed,

    /// <summary>A context line of a hunk body (an empty line is context whose leading space an editor stripped).</summary>
    Context,

    /// <summary>Anything else: <c>index</c>, mode and rename lines, <c>\ No newline at end of file</c>, binary notes.</summary>
    Other,
}
