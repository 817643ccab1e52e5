using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Injection;

public sealed partial class Injector
{
    /// <summary>The context strategies see: the environment's commit, its tracked source files (tests excluded), ctags symbols.</summary>
    public static async Task<InjectionContext> CreateContextAsync(
        PreparedEnvironment environment, GitRepository repository, string? target = null, int minChangedFiles = 1, ISymbolIndex? symbols = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(repository);
        var tracked = await Git.RunAsync(repository.Root, ["ls-tree", "-r", "-z", "--name-only", environment.Snapshot.Commit], cancellationToken).ConfigureAwait(false);
        return new InjectionContext
        {
            Environment = environment,
            Repository = repository,
            Symbols = symbols ?? new CtagsSymbolIndex(),
            SourceFiles = tracked.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => InjectablePaths.IsInjectable(p) && !InjectablePaths.LooksGenerated(InjectablePaths.Head(Path.Combine(environment.TreePath, p))))
                .Order(StringComparer.Ordinal).ToList(),
            Target = string.IsNullOrWhiteSpace(target) ? null : target,
            MinChangedFiles = minChangedFiles,
        };
    }
}
