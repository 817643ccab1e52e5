using System.Globalization;
using Sparring.Rewards;

namespace Sparring.Selection;

/// <summary>
/// SWE-Swiss's selection (spec §4): <c>Score(c) = Score_EM(c) + Score_Sim(c)</c>. <c>Score_EM</c> counts the candidates
/// whose normalised patch is exactly c's, c included; <c>Score_Sim</c> is c's mean SWE-RL similarity
/// (<see cref="PatchSimilarity.Compare"/>, c as the prediction) to each other candidate. Candidates with no patch or a
/// malformed one are out: they neither score nor vote.
/// </summary>
public static class SweSwissSelector
{
    public const string Name = "swe-swiss";

    /// <summary>One candidate: its sample and its normalised per-file patches (null with the problem when it has none).</summary>
    public sealed record Candidate(int Sample, IReadOnlyDictionary<string, string>? Patches, string? Problem);

    public static SelectionResult Select(IReadOnlyList<Candidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var eligible = candidates.Where(c => c.Patches is { Count: > 0 }).ToList();
        var scores = new List<CandidateScore>();
        foreach (var candidate in candidates)
        {
            if (candidate.Patches is not { Count: > 0 } mine)
            {
                scores.Add(new CandidateScore(candidate.Sample, null, $"out: {candidate.Problem ?? "no patch"}"));
                continue;
            }

            var others = eligible.Where(o => o.Sample != candidate.Sample).ToList();
            var votes = 1 + others.Count(o => SamePatches(mine, o.Patches!));
            var similarity = others.Count == 0 ? 0 : others.Average(o => PatchSimilarity.Compare(mine, o.Patches!).Reward);
            scores.Add(new CandidateScore(candidate.Sample, votes + similarity, string.Create(CultureInfo.InvariantCulture, $"EM {votes} + Sim {similarity:0.####}")));
        }

        return SelectionResult.Best(Name, scores, "no candidate has a patch");
    }

    private static bool SamePatches(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value);
}
