using System.Globalization;

namespace Sparring.Selection;

/// <summary>
/// Kimi-Dev's test-time self-play score (spec §4). N patches b_i, M generated tests t_j, each test a set of test cases
/// run on the unpatched code and under each patch; a test is kept only if it fails on the unpatched code (some case
/// fails). With F(j) / P(j) the failing / passing cases of t_j on the unpatched code, FP(i,j) its cases that fail there
/// and pass under b_i, PP(i,j) those that pass both:
/// <c>S_i = Σ_j FP(i,j) / Σ_j F(j) + Σ_j PP(i,j) / Σ_j P(j)</c>, a term with a zero denominator being 0. The argmax
/// is chosen, the lowest sample among equals; with no kept test, nothing is chosen (every score would be 0).
/// </summary>
public static class KimiDevSelector
{
    public const string Name = "kimi-dev";

    /// <summary>
    /// One generated test: each case's outcome (true: passed) on the unpatched code, and under each candidate (by sample;
    /// a case missing there, or a candidate missing, failed).
    /// </summary>
    public sealed record GeneratedTest(string Name, IReadOnlyDictionary<string, bool> Unpatched, IReadOnlyDictionary<int, IReadOnlyDictionary<string, bool>> Patched);

    /// <summary>One candidate: its sample, and null or why it is out (no patch, it did not apply).</summary>
    public sealed record Candidate(int Sample, string? Problem);

    public static SelectionResult Select(IReadOnlyList<Candidate> candidates, IReadOnlyList<GeneratedTest> tests)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(tests);
        var kept = tests.Where(t => t.Unpatched.Values.Any(passed => !passed)).ToList();
        var failing = kept.Sum(t => t.Unpatched.Count(c => !c.Value));
        var passing = kept.Sum(t => t.Unpatched.Count(c => c.Value));
        var scores = new List<CandidateScore>();
        foreach (var candidate in candidates)
        {
            if (candidate.Problem is { } problem)
            {
                scores.Add(new CandidateScore(candidate.Sample, null, $"out: {problem}"));
                continue;
            }

            var failToPass = 0;
            var passToPass = 0;
            foreach (var test in kept)
            {
                var patched = test.Patched.GetValueOrDefault(candidate.Sample);
                foreach (var (id, before) in test.Unpatched)
                {
                    if (patched is not null && patched.TryGetValue(id, out var after) && after)
                    {
                        if (before)
                        {
                            passToPass++;
                        }
                        else
                        {
                            failToPass++;
                        }
                    }
                }
            }

            var score = (failing == 0 ? 0 : (double)failToPass / failing) + (passing == 0 ? 0 : (double)passToPass / passing);
            scores.Add(new CandidateScore(candidate.Sample, score, string.Create(CultureInfo.InvariantCulture,
                $"fail→pass {failToPass}/{failing}, pass→pass {passToPass}/{passing} over {kept.Count} kept test(s)")));
        }

        return kept.Count == 0
            ? new SelectionResult(Name, null, scores, "no generated test fails on the broken tree: there is nothing to choose by")
            : SelectionResult.Best(Name, scores, "no candidate has a patch that applies");
    }
}
