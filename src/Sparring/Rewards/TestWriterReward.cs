using System.Globalization;

namespace Sparring.Rewards;

/// <summary>
/// The test writer's fail→pass reward (Kimi-Dev, SWE-Swiss, InfCode): +1 iff the generated test fails on the broken
/// tree (and on the broken tree with a no-op line added to the bug's files, so that hashing the sources does not pay) and
/// passes on the fixed one, else 0, always with the reason. The generated test's cases are the test ids its runs
/// report that the broken tree's own run (without it) does not: a writer is judged by the cases it adds. It fails on
/// the broken tree when any case is not passed there (a case missing from the run, as when the test does not compile
/// against the broken code, or a run that did not run at all, counts as failed); it passes on the fixed tree when
/// every case passed there.
/// </summary>
public static class TestWriterReward
{
    /// <summary>One run of the suite with the generated test: each test id and whether it passed; <c>Problem</c> when it did not run.</summary>
    public sealed record Run(IReadOnlyDictionary<string, bool> Tests, string? Problem = null, bool TimedOut = false);

    /// <summary>The reward (1 or 0), the generated test's cases, and why.</summary>
    public sealed record Result(double Reward, IReadOnlyList<string> Cases, string Reason);

    /// <param name="baselineIds">The broken tree's own test ids (its run without the test).</param>
    /// <param name="broken">The broken tree with the test.</param>
    /// <param name="perturbed">The broken tree with a no-op line added to each file the bug changed, with the test: a test that
    /// tells the trees apart by their text (a hash of a file) passes there, one that tells them apart by behaviour fails.</param>
    /// <param name="fixedTree">The fixed tree with the test.</param>
    public static Result Score(IReadOnlyCollection<string> baselineIds, Run broken, Run perturbed, Run fixedTree)
    {
        ArgumentNullException.ThrowIfNull(baselineIds);
        ArgumentNullException.ThrowIfNull(broken);
        ArgumentNullException.ThrowIfNull(perturbed);
        ArgumentNullException.ThrowIfNull(fixedTree);
        if (broken.TimedOut || perturbed.TimedOut)
        {
            return new Result(0, [], "the test times out on the broken tree: a hang cannot be told from a slow machine");
        }

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

        if (cases.All(id => perturbed.Tests.GetValueOrDefault(id)))
        {
            return new Result(0, cases, $"the test passes on the broken tree once a line that changes nothing is added to the bug's files: it tells the trees apart by their text, not their behaviour ({counts})");
        }

        return passingOnFixed == cases.Count
            ? new Result(1, cases, $"fail→pass ({counts})")
            : new Result(0, cases, $"the test does not pass on the fixed tree ({counts})");
    }
}
