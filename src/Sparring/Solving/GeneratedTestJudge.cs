using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Rewards;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// Judges generated tests by <see cref="TestWriterReward"/>: runs the suite on the broken tree without the test (once per
/// artifact), with it, on the broken tree with a no-op line added to the bug's files with it, and on the fixed tree with it
/// (<see cref="GeneratedTestRunner"/>). Thread-safe.
/// </summary>
public sealed class GeneratedTestJudge(ISandboxProvider sandboxes)
{
    private readonly Dictionary<string, Task<IReadOnlySet<string>>> _baselines = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The limit of one run of the suite.</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The fail→pass reward of <paramref name="test"/> on <paramref name="artifact"/>.</summary>
    public async Task<TestWriterReward.Result> JudgeAsync(PreparedEnvironment environment, BugArtifact artifact, GeneratedTest test, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(test);
        if (test.Files.Count == 0)
        {
            return new TestWriterReward.Result(0, [], test.Dropped.Count == 0
                ? "the submission changes no file"
                : $"the submission changes no test file (source changes are discarded: {string.Join(", ", test.Dropped.Take(5))})");
        }

        var runner = new GeneratedTestRunner(sandboxes, environment, artifact) { ScriptTimeout = ScriptTimeout };
        try
        {
            var baseline = await BrokenTreeIdsAsync(runner, environment.Directory + "\0" + artifact.Metadata.Id, cancellationToken).ConfigureAwait(false);
            var broken = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [test.Patch], cancellationToken: cancellationToken).ConfigureAwait(false));
            var perturbed = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: false, [test.Patch], perturbed: true, cancellationToken).ConfigureAwait(false));
            var fixedTree = GeneratedTestRunner.Outcomes(await runner.RunAsync(fixedTree: true, [test.Patch], cancellationToken: cancellationToken).ConfigureAwait(false));
            return TestWriterReward.Score(baseline, broken, perturbed, fixedTree);
        }
        catch (DiffApplyException ex)
        {
            return new TestWriterReward.Result(0, [], $"the test does not apply: {ex.GitMessage}");
        }
        catch (UnsafePathException ex)
        {
            return new TestWriterReward.Result(0, [], $"the test names an unsafe path: {ex.Message}");
        }
    }

    /// <summary>The test ids of the broken tree's own run, once per environment and artifact; a failed run is not remembered.</summary>
    private Task<IReadOnlySet<string>> BrokenTreeIdsAsync(GeneratedTestRunner runner, string key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_baselines.TryGetValue(key, out var task) || task.IsFaulted || task.IsCanceled)
            {
                _baselines[key] = task = RunBrokenTreeAsync(runner, cancellationToken);
            }

            return task;
        }
    }

    private static async Task<IReadOnlySet<string>> RunBrokenTreeAsync(GeneratedTestRunner runner, CancellationToken cancellationToken)
    {
        var run = await runner.RunAsync(fixedTree: false, [], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (GeneratedTestRunner.Outcomes(run).Problem is { } problem)
        {
            // Without the broken tree's own test ids, the generated test's cases cannot be told apart: the machinery's failure, not the writer's.
            throw new InvalidDataException($"the broken tree's own run says nothing, so no generated test can be judged: {problem}");
        }

        return run.Tests.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
    }
}
