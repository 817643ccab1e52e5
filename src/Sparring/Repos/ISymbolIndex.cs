namespace Sparring.Repos;

/// <summary>Finds functions, methods and classes with their line ranges in source files.</summary>
public interface ISymbolIndex
{
    /// <summary>The symbols of the given files (paths relative to <paramref name="tree"/>), in path then line order.</summary>
    Task<IReadOnlyList<Symbol>> FindAsync(string tree, IReadOnlyList<string> paths, CancellationToken cancellationToken = default);
}
