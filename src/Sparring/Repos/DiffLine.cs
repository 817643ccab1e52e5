namespace Sparring.Repos;

/// <summary>One line of a unified diff and what it is.</summary>
/// <param name="Kind">What the line is.</param>
/// <param name="Text">The line without its line ending.</param>
public readonly record struct DiffLine(DiffLineKind Kind, string Text);
