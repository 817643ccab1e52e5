using System.Collections.Concurrent;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.SampleRepos;

/// <summary>Prepared environments of the samples, made once per test run and cached under TestCache.Root, as a user's would be.</summary>
internal static class SampleEnvironments
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<PreparedEnvironment>>> Prepared = new(StringComparer.Ordinal);

    public static ISandboxProvider Sandboxes { get; } = new BubblewrapSandboxProvider();

    /// <summary>The shared prepared environment of a sample at HEAD.</summary>
    public static Task<PreparedEnvironment> GetAsync(string sample) =>
        Prepared.GetOrAdd(sample, s => new Lazy<Task<PreparedEnvironment>>(() => PrepareAsync(Samples.Path(s), TestCache.Root))).Value;

    /// <summary>Prepares a repository at HEAD in the given cache (a private cache sees no earlier baseline).</summary>
    public static async Task<PreparedEnvironment> PrepareAsync(string repositoryPath, string cacheRoot)
    {
        var repository = await GitRepository.OpenAsync(repositoryPath);
        var snapshot = await new SnapshotStore(cacheRoot).GetOrCreateAsync(repository, await repository.ResolveCommitAsync("HEAD"));
        var plan = TestRunnerDetector.Detect(snapshot.TreePath);
        return await new EnvironmentPreparer(Sandboxes, cacheRoot).PrepareAsync(snapshot, plan);
    }
}
