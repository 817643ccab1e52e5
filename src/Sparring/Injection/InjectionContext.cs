using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Injection;

/// <summary>What a strategy may look at: the prepared original tree, the repository's history, the symbols.</summary>
public sealed record InjectionContext
{
    public required PreparedEnvironment Environment { get; init; }

    /// <summary>The repository, for strategies that read history.</summary>
    public required GitRepository Repository { get; init; }

    public required ISymbolIndex Symbols { get; init; }

    /// <summary>Source files of the original tree (tracked, not tests), relative paths.</summary>
    public required IReadOnlyList<string> SourceFiles { get; init; }

    /// <summary>Steers where bugs go: a file path or a symbol name; null for anywhere.</summary>
    public string? Target { get; init; }

    /// <summary>Files a candidate should change at least (a strategy that cannot reach it may still try).</summary>
    public int MinChangedFiles { get; init; } = 1;
}
