namespace Sparring.Repos;

/// <summary>A function, method or class with its line range (1-based, inclusive) in a file of a tree.</summary>
public sealed record Symbol
{
    public required string Name { get; init; }
    public required SymbolKind Kind { get; init; }

    /// <summary>Path relative to the tree root.</summary>
    public required string Path { get; init; }

    public required int StartLine { get; init; }
    public required int EndLine { get; init; }

    /// <summary>The enclosing class, struct or package, when there is one.</summary>
    public string? Scope { get; init; }

    /// <summary><c>Python</c>, <c>Go</c>, <c>JavaScript</c>, <c>TypeScript</c> or <c>C#</c>.</summary>
    public required string Language { get; init; }

    /// <summary>The signature as the indexer saw it (parameters, and for Go the result types), when known.</summary>
    public string? Signature { get; init; }

    public int LineCount => EndLine - StartLine + 1;
}

/// <summary>What a <see cref="Symbol"/> is.</summary>
public enum SymbolKind
{
    Function,
    Method,
    Class,
}
