using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Tests.Testing.Instrumentation;

/// <summary>A prepared environment that was never prepared: only its runner and variables matter to the instrumentation.</summary>
internal static class SketchEnvironments
{
    public static PreparedEnvironment With(
        string runner, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? runEnvironment = null) => new()
    {
        Snapshot = new Snapshot { RepositoryRoot = "/repo", Commit = "0000000", Directory = "/snapshot" },
        Plan = new TestPlan
        {
            Runner = runner,
            Reason = "test",
            Command = new TestCommand { Command = "true", Parser = "none" },
            Recipe = new EnvironmentRecipe
            {
                Environment = environment ?? new Dictionary<string, string>(),
                RunEnvironment = runEnvironment ?? new Dictionary<string, string>(),
            },
        },
        Directory = "/environment",
        CacheRoot = "/cache",
        Reused = true,
        Steps = [],
    };
}
