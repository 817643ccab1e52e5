using System.Globalization;

namespace Sparring.Testing;

/// <summary>
/// The determinism check of Nebius / SWE-rebench: the tests whose status is not the same in every run of the same
/// code. A test missing from some runs but present in others has flipped (missing is an outcome); statuses compare as
/// <see cref="TestStatus"/> values.
/// </summary>
public static class FlakyTests
{
    /// <summary>The flipped tests of <paramref name="runs"/>, by ordinal id; none for fewer than two runs.</summary>
    public static IReadOnlyList<FlippedTest> Find(IReadOnlyList<IReadOnlyDictionary<string, TestStatus>> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var ids = new SortedSet<string>(runs.SelectMany(r => r.Keys), StringComparer.Ordinal);
        var flipped = new List<FlippedTest>();
        foreach (var id in ids)
        {
            var statuses = runs.Select(r => r.TryGetValue(id, out var s) ? s : (TestStatus?)null).ToList();
            if (statuses.Any(s => s != statuses[0]))
            {
                flipped.Add(new FlippedTest { TestId = id, Statuses = statuses });
            }
        }

        return flipped;
    }

    /// <summary>The flipped tests of repeated suite runs (a test reported twice in one run counts with its first status).</summary>
    public static IReadOnlyList<FlippedTest> Find(IReadOnlyList<TestRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Find([.. runs.Select(r => (IReadOnlyDictionary<string, TestStatus>)r.Tests.GroupBy(t => t.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Status, StringComparer.Ordinal))]);
    }

    /// <summary>The test and its status run by run, e.g. <c>t1 [passed, failed, missing]</c>.</summary>
    public static string Describe(FlippedTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        return string.Create(CultureInfo.InvariantCulture, $"{test.TestId} [{string.Join(", ", test.Statuses.Select(s => s?.Value ?? "missing"))}]");
    }
}
