using System.Globalization;

namespace Sparring.Selection;

/// <summary>
/// InfCode's choice among the patches of every round of its adversarial loop (spec §4): the candidates passing the
/// original plus every strengthened test, the one of the latest round first (it survived the most strengthening), then
/// the lowest sample. When none passes them all, the one passing the most. The score is the share of tests passed, plus
/// 1 for passing all of them.
/// </summary>
public static class InfCodeSelector
{
    public const string Name = "infcode";

    /// <summary>One candidate: the round that made it (1-based), the tests it passes of all of them, or why it is out.</summary>
    public sealed record Candidate(int Sample, int Round, int TestsPassed, int Tests, string? Problem = null);

    public static SelectionResult Select(IReadOnlyList<Candidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var scores = candidates.Select(c =>
        {
            if (c.Problem is { } problem)
            {
                return new CandidateScore(c.Sample, null, $"out: {problem}");
            }

            var share = c.Tests == 0 ? 0 : (double)c.TestsPassed / c.Tests;
            var all = c.Tests > 0 && c.TestsPassed == c.Tests;
            return new CandidateScore(c.Sample, share + (all ? 1 : 0), string.Create(CultureInfo.InvariantCulture, $"round {c.Round}, passes {c.TestsPassed}/{c.Tests} tests"));
        }).ToList();

        var eligible = candidates.Where(c => c.Problem is null).ToList();
        var passingAll = eligible.Where(c => c.Tests > 0 && c.TestsPassed == c.Tests).ToList();
        var chosen = passingAll.Count > 0
            ? passingAll.OrderByDescending(c => c.Round).ThenBy(c => c.Sample).First()
            : eligible.OrderByDescending(c => c.Tests == 0 ? 0 : (double)c.TestsPassed / c.Tests).ThenBy(c => c.Sample).FirstOrDefault();
        return new SelectionResult(Name, chosen?.Sample, scores, chosen is null ? "no candidate has a patch that applies" : null);
    }
}
