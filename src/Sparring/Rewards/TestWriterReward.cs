using System.Globalization;

namespace Sparring.Rewards;

/// <summary>
/// The test writer's fail→pass reward (Kimi-Dev, SWE-Swiss, InfCode): +1 iff the generated test fails on the broken
/// tree and passes on the fixed one, else 0, always with the reason. The generated test's cases are the test ids its runs
/// report that the broken tree's own run (without it) does not: a writer is judged by the cases it adds. It fails on
/// the broken tree when any case is not passed there (a case missing from the run, as when the test does not compile
/// against the broken code, or a run that did not run at all, counts as failed); it passes on the fixed tree when
/// every case passed there.
/// </summary>
public static class TestWriterReward
{
    /// <summary>One run of the suite with the generated test: each test id and whether it passed; <c>Problem</c> when it did not run.</summary>
    public sealed record Run(IReadOnlyDictionary<string, bool> Tests, string? Problem = null);

    /// <summary>The reward (1 or 0), the generated test's cases, and why.</summary>
    public sealed record Result(double Reward, IReadOnlyList<string> Cases, string Reason);

    public static Result Score(IReadOnlyCollection<string> baselineIds, Run broken, Run fixedTree)
    {
        ArgumentNullException.ThrowIfNull(baselineIds);
        ArgumentNullException.ThrowIfNull(broken);
        ArgumentNullException.ThrowIfNull(fixedTree);
        if (fixedTree.Problem is { } problem)
        {
            return new Result(0, [], $"the test fails to run on the fixed tree: {problem}");
        }

        var known = baselineIds as IReadOnlySet<string> ?? baselineIds.ToHashSet(StringComparer.Ordinal);
        var cases = fixedTree.Tests.Keys.Concat(broken.Tests.Keys).Where(id => !known.Contains(id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (cases.Count == 0)
        {
            return new Result(0, [], "the test adds no test case the suite runs");
        }

        var failingOnBroken = cases.Count(id => !broken.Tests.GetValueOrDefault(id));
        var passingOnFixed = cases.Count(id => fixedTree.Tests.GetValueOrDefault(id));
        var counts = string.Create(CultureInfo.InvariantCulture, $"{cases.Count} case(s): {failingOnBroken} fail on the broken tree, {passingOnFixed} pass on the fixed tree");
        if (failingOnBroken == 0)
        {
            return new Result(0, cases, $"the test does not fail on the broken tree ({counts})");
        }

        return passingOnFixed == cases.Count
            ? new Result(1, cases, $"fail→pass ({counts})")
            : new Result(0, cases, $"the test does not pass on the fixed tree ({counts})");
    }
}
