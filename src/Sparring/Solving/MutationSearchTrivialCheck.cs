using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Sandboxes;

namespace Sparring.Solving;

/// <summary>A bug is trivial when the <see cref="MutationSearchSolver"/> fixes it within a budget of test runs.</summary>
public sealed class MutationSearchTrivialCheck : ITrivialBugCheck
{
    private readonly ISandboxProvider _sandboxes;
    private readonly MutationSearchOptions _options;
    private readonly TimeProvider _time;

    /// <summary>A check whose search spends at most <paramref name="budget"/> test runs (at least 2) per bug.</summary>
    /// <exception cref="ArgumentException">The budget is below 2.</exception>
    public MutationSearchTrivialCheck(ISandboxProvider sandboxes, int budget, int seed, TimeSpan scriptTimeout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sandboxes);
        if (budget < 2)
        {
            throw new ArgumentException($"The trivial-bug search budget must be at least 2 test runs, got {budget}.", nameof(budget));
        }

        _sandboxes = sandboxes;
        _options = new MutationSearchOptions { Budget = budget, Seed = seed, ScriptTimeout = scriptTimeout };
        _time = time ?? TimeProvider.System;
    }

    public async Task<TrivialVerdict> CheckAsync(InjectionContext context, BugArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(artifact);
        var solver = new MutationSearchSolver(_sandboxes, _options, _time, context.Symbols);
        var result = await solver.SolveAsync(context.Environment, artifact, cancellationToken).ConfigureAwait(false);
        return new TrivialVerdict(
            result.Solved,
            result.Solved
                ? $"{artifact.Metadata.Id}: trivial: the mutation-search solver fixed it in {result.Runs} run(s) ({result.Edit})"
                : $"{artifact.Metadata.Id}: not trivial: {result.Reason} ({result.Runs} run(s))");
    }
}
