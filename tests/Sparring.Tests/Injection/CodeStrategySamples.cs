using System.Collections.Concurrent;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Testing;

namespace Sparring.Tests.Injection;

/// <summary>
/// Injection contexts over plain clones of the samples (no preparation: the code strategies only read the tree),
/// one per sample per test run, plus helpers to collect candidates and try them on fresh copies.
/// </summary>
internal static class CodeStrategySamples
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<InjectionContext>>> Contexts = new(StringComparer.Ordinal);

    public static Task<InjectionContext> ContextAsync(string sample) =>
        Contexts.GetOrAdd(sample, s => new Lazy<Task<InjectionContext>>(() => CreateAsync(s))).Value;

    private static Task<InjectionContext> CreateAsync(string sample) => CloneAsync(Samples.Path(sample));

    /// <summary>A context over a fresh clone of the git repository at <paramref name="source"/> (left in the temp folder).</summary>
    public static async Task<InjectionContext> CloneAsync(string source)
    {
        var directory = Directory.CreateTempSubdirectory("sparring-inject-sample-").FullName;
        TempGitRepo.RunGit(directory, ["clone", "--quiet", source, "tree"]);
        var tree = Path.Combine(directory, "tree");
        var repository = await GitRepository.OpenAsync(tree);
        var files = TempGitRepo.RunGit(tree, ["ls-files"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new InjectionContext
        {
            Environment = new PreparedEnvironment
            {
                Snapshot = new Snapshot { RepositoryRoot = tree, Commit = TempGitRepo.RunGit(tree, ["rev-parse", "HEAD"]).Trim(), Directory = directory },
                Plan = new TestPlan { Runner = "none", Reason = "test", Command = new TestCommand { Command = "true", Parser = "none" } },
                Directory = directory,
                CacheRoot = directory,
                Reused = true,
                Steps = [],
            },
            Repository = repository,
            Symbols = new CtagsSymbolIndex(),
            SourceFiles = files.Where(f => !TestPaths.LooksLikeTest(f)).ToList(),
        };
    }

    public static async Task<List<BugCandidate>> TakeAsync(IBugStrategy strategy, InjectionContext context, int seed, int count)
    {
        var candidates = new List<BugCandidate>();
        await foreach (var candidate in strategy.CandidatesAsync(context, new Random(seed)))
        {
            candidates.Add(candidate);
            if (candidates.Count == count)
            {
                break;
            }
        }

        return candidates;
    }

    /// <summary>A fresh clone of the sample with the diff applied.</summary>
    public static SampleCopy Applied(string sample, string diff)
    {
        var copy = new SampleCopy(sample);
        var patch = Path.Combine(copy.Scratch, "bug.diff");
        File.WriteAllText(patch, diff);
        TempGitRepo.RunGit(copy.Path, ["apply", patch]);
        return copy;
    }
}
