using System.Globalization;

namespace Sparring.Selection;

/// <summary>
/// R2E-Gym's / DeepSWE's hybrid selection (spec §4): an execution-free verifier's score v (the model's probability of
/// "YES", <see cref="VerifierProbability"/>) with execution-based checks. Over N candidates: keep the top
/// <c>max(3, ⌊N/2⌋)</c> by v; among those keep the ones passing the most regression tests; then the most generated
/// tests; then the highest v; then the lowest sample. The rule is lexicographic, so it has no weights; the score reported
/// is <c>stage + v</c>, where stage counts the filters a candidate survived (0–3), so the chosen one scores highest.
/// </summary>
public static class HybridSelector
{
    public const string Name = "hybrid";

    /// <summary>One candidate: v (null with a problem when it is out), and the regression and generated tests it passes.</summary>
    public sealed record Candidate(int Sample, double? Verifier, int RegressionPassed, int GeneratedPassed, string? Problem = null);

    public static SelectionResult Select(IReadOnlyList<Candidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var eligible = candidates.Where(c => c.Problem is null && c.Verifier is not null).ToList();
        var top = eligible.OrderByDescending(c => c.Verifier).ThenBy(c => c.Sample).Take(Math.Max(3, eligible.Count / 2)).ToList();
        var regression = top.Where(c => c.RegressionPassed == top.Max(t => t.RegressionPassed)).ToList();
        var generated = regression.Where(c => c.GeneratedPassed == regression.Max(t => t.GeneratedPassed)).ToList();
        var scores = candidates.Select(c =>
        {
            if (c.Problem is not null || c.Verifier is not { } v)
            {
                return new CandidateScore(c.Sample, null, $"out: {c.Problem ?? "no verifier score"}");
            }

            var stage = top.Contains(c) ? regression.Contains(c) ? generated.Contains(c) ? 3 : 2 : 1 : 0;
            return new CandidateScore(c.Sample, stage + v, string.Create(CultureInfo.InvariantCulture,
                $"verifier {v:0.####}, regression tests passed {c.RegressionPassed}, generated tests passed {c.GeneratedPassed}, filters survived {stage}"));
        }).ToList();
        return SelectionResult.Best(Name, scores, "no candidate has a verifier score");
    }

    /// <summary>
    /// The verifier's P(YES) from the top logprobs of its answer's first token: the probability mass of the tokens that
    /// read <c>YES</c> (any case, surrounding spaces ignored) over that of <c>YES</c> and <c>NO</c>; null when neither is
    /// among them.
    /// </summary>
    public static double? VerifierProbability(IEnumerable<(string Token, double Logprob)> topLogprobs)
    {
        ArgumentNullException.ThrowIfNull(topLogprobs);
        double yes = 0, no = 0;
        foreach (var (token, logprob) in topLogprobs)
        {
            var word = token.Trim().ToUpperInvariant();
            if (word == "YES")
            {
                yes += Math.Exp(logprob);
            }
            else if (word == "NO")
            {
                no += Math.Exp(logprob);
            }
        }

        return yes + no > 0 ? yes / (yes + no) : null;
    }
}
