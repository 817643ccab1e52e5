using Sparring.Injection;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Injection.Code;

/// <summary>
/// The functions and methods a code strategy may edit: in non-test source files the index understands,
/// with their file texts, and which of them <see cref="InjectionContext.Target"/> points at.
/// </summary>
internal sealed class InjectionScope
{
    private readonly Dictionary<string, SourceText> _sources;

    private InjectionScope(IReadOnlyList<Symbol> functions, Dictionary<string, SourceText> sources, Func<Symbol, bool> isTarget, bool hasTarget)
    {
        Functions = functions;
        _sources = sources;
        IsTarget = isTarget;
        HasTarget = hasTarget;
    }

    /// <summary>Functions and methods (not constructors), ordered by path and line.</summary>
    public IReadOnlyList<Symbol> Functions { get; }

    /// <summary>True when the context named a target.</summary>
    public bool HasTarget { get; }

    /// <summary>True for a function the target names (a file it is in, or itself); always true without a target.</summary>
    public Func<Symbol, bool> IsTarget { get; }

    public SourceText Source(string path) => _sources[path];

    public static async Task<InjectionScope> LoadAsync(InjectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tree = context.Environment.TreePath;
        var files = context.SourceFiles
            .Where(p => CtagsSymbolIndex.LanguageOf(p) is not null && !TestPaths.LooksLikeTest(p))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var sources = new Dictionary<string, SourceText>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (File.Exists(Path.Combine(tree, file)) && await CandidateDiff.ReadAsync(tree, file, cancellationToken).ConfigureAwait(false) is { } text)
            {
                sources[file] = new SourceText(text, CtagsSymbolIndex.LanguageOf(file)!);
            }
        }

        var symbols = await context.Symbols.FindAsync(tree, [.. sources.Keys], cancellationToken).ConfigureAwait(false);
        var functions = symbols
            .Where(s => s.Kind is SymbolKind.Function or SymbolKind.Method && sources.ContainsKey(s.Path) && !Stubs.IsConstructor(s))
            .Where(s => s.EndLine <= sources[s.Path].LineCount + 1)
            .OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.StartLine).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var target = context.Target?.Trim().Replace('\\', '/');
        return string.IsNullOrEmpty(target)
            ? new InjectionScope(functions, sources, _ => true, hasTarget: false)
            : new InjectionScope(functions, sources, s => Matches(s, target), hasTarget: true);
    }

    /// <summary>A target is a path (or a folder, or a path's tail), a symbol name, <c>Type.Name</c>, or <c>path:name</c>.</summary>
    public static bool Matches(Symbol symbol, string target)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(target);
        var path = target.TrimStart('.', '/');
        if (symbol.Path == path || symbol.Path.EndsWith("/" + path, StringComparison.Ordinal) || symbol.Path.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            return true;
        }

        var colon = target.LastIndexOf(':');
        if (colon > 0)
        {
            var file = target[..colon];
            return (symbol.Path == file || symbol.Path.EndsWith("/" + file, StringComparison.Ordinal)) && Matches(symbol, target[(colon + 1)..]);
        }

        var scope = symbol.Scope?.Split('.')[^1];
        return symbol.Name == target || scope is not null && $"{scope}.{symbol.Name}" == target;
    }

    /// <summary>A stable identity for a symbol: <c>path:Scope.Name@line</c>.</summary>
    public static string Key(Symbol symbol) => $"{symbol.Path}:{Qualified(symbol)}@{symbol.StartLine.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The name with its last enclosing type: <c>Ledger.post</c>.</summary>
    public static string Qualified(Symbol symbol)
    {
        var scope = symbol.Scope?.Split('.')[^1];
        return symbol.Kind == SymbolKind.Method && !string.IsNullOrEmpty(scope) ? $"{scope}.{symbol.Name}" : symbol.Name;
    }

    /// <summary>The edited text of each file, with Go imports the edits left unused dropped; null when that could not be done safely.</summary>
    public IReadOnlyDictionary<string, string>? ApplyEdits(IEnumerable<(string Path, Edit Edit)> edits)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in edits.GroupBy(e => e.Path, StringComparer.Ordinal))
        {
            var source = Source(group.Key);
            var ordered = group.Select(g => g.Edit).OrderBy(e => e.Start).ToList();
            if (ordered.Zip(ordered.Skip(1)).Any(pair => pair.First.Start + pair.First.Length > pair.Second.Start))
            {
                return null; // overlapping edits
            }

            var text = Edit.Apply(source.Text, ordered);
            if (source.Language == "Go")
            {
                if (GoImports.RemoveUnused(source.Text, text) is not { } cleaned)
                {
                    return null;
                }

                text = cleaned;
            }

            if (text != source.Text)
            {
                result[group.Key] = text;
            }
        }

        return result;
    }
}
