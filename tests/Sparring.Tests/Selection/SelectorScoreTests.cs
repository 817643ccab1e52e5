using Sparring.Selection;

namespace Sparring.Tests.Selection;

/// <summary>Each selector on a score table computed by hand, to 1e-9.</summary>
public sealed class SelectorScoreTests
{
    private const double Tolerance = 1e-9;

    private static Dictionary<string, bool> Cases(params (string Id, bool Passed)[] cases) => cases.ToDictionary(c => c.Id, c => c.Passed, StringComparer.Ordinal);

    private static void AssertScores(SelectionResult result, params (int Sample, double? Score)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Sample), result.Scores.Select(s => s.Sample));
        foreach (var ((_, score), actual) in expected.Zip(result.Scores))
        {
            if (score is null)
            {
                Assert.Null(actual.Score);
                Assert.StartsWith("out: ", actual.Detail, StringComparison.Ordinal);
            }
            else
            {
                Assert.NotNull(actual.Score);
                Assert.Equal(score.Value, actual.Score!.Value, Tolerance);
            }
        }
    }

    [Fact]
    public void KimiDev_ThreePatchesThreeTests_SelfPlayScoresAsTheSpecGivesThem()
    {
        // Arrange: t3 passes everywhere on the unpatched code, so it is dropped. Kept: F = 2 + 1 = 3, P = 1 + 1 = 2.
        //   S_1 = (a, b) 2/3 + (c, e) 2/2 = 5/3; S_2 = (a, d) 2/3 + (e) 1/2 = 7/6; S_3 = 0/3 + (c; e missing) 1/2 = 1/2.
        var tests = new List<KimiDevSelector.GeneratedTest>
        {
            new("t1", Cases(("a", false), ("b", false), ("c", true)), new Dictionary<int, IReadOnlyDictionary<string, bool>>
            {
                [1] = Cases(("a", true), ("b", true), ("c", true)),
                [2] = Cases(("a", true), ("b", false), ("c", false)),
                [3] = Cases(("a", false), ("b", false), ("c", true)),
            }),
            new("t2", Cases(("d", false), ("e", true)), new Dictionary<int, IReadOnlyDictionary<string, bool>>
            {
                [1] = Cases(("d", false), ("e", true)),
                [2] = Cases(("d", true), ("e", true)),
                [3] = Cases(),
            }),
            new("t3", Cases(("f", true)), new Dictionary<int, IReadOnlyDictionary<string, bool>>
            {
                [1] = Cases(("f", false)),
                [2] = Cases(("f", true)),
                [3] = Cases(("f", true)),
            }),
        };
        KimiDevSelector.Candidate[] candidates = [new(1, null), new(2, null), new(3, null), new(4, "no patch")];

        // Act
        var result = KimiDevSelector.Select(candidates, tests);

        // Assert
        AssertScores(result, (1, 5.0 / 3), (2, 7.0 / 6), (3, 0.5), (4, null));
        Assert.Equal(1, result.Chosen);
        Assert.Equal(5.0 / 3, result.Score!.Value, Tolerance);
        Assert.Equal("kimi-dev", result.Selector);
        Assert.Contains("fail→pass 2/3, pass→pass 2/2 over 2 kept test(s)", result.Scores[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void KimiDev_NoTestFailsOnTheUnpatchedCode_NothingIsChosenAndTheProblemSaysWhy()
    {
        // Arrange
        var tests = new List<KimiDevSelector.GeneratedTest>
        {
            new("t1", Cases(("a", true)), new Dictionary<int, IReadOnlyDictionary<string, bool>> { [1] = Cases(("a", true)), [2] = Cases(("a", true)) }),
        };

        // Act
        var result = KimiDevSelector.Select([new(2, null), new(1, null)], tests);

        // Assert
        AssertScores(result, (2, 0), (1, 0));
        Assert.Null(result.Chosen);
        Assert.Equal("no generated test fails on the broken tree: there is nothing to choose by", result.Problem);
    }

    [Fact]
    public void SweSwiss_TwoIdenticalPatchesAndANearOne_VotesPlusMeanSimilarity()
    {
        // Arrange: p_b and p_c are 17 characters and differ in the last: ratio 2·16/34 = 16/17.
        //   Score_1 = Score_2 = 2 + (1 + 16/17)/2; Score_3 = 1 + (16/17 + 16/17)/2; sample 4 has no patch.
        const string Pb = "@@ -1 +1 @@\n-a\n+b";
        const string Pc = "@@ -1 +1 @@\n-a\n+c";
        SweSwissSelector.Candidate[] candidates =
        [
            new(1, new Dictionary<string, string> { ["f.py"] = Pb }, null),
            new(2, new Dictionary<string, string> { ["f.py"] = Pb }, null),
            new(3, new Dictionary<string, string> { ["f.py"] = Pc }, null),
            new(4, null, "no patch"),
        ];

        // Act
        var result = SweSwissSelector.Select(candidates);

        // Assert
        AssertScores(result, (1, 2 + ((1 + (16.0 / 17)) / 2)), (2, 2 + ((1 + (16.0 / 17)) / 2)), (3, 1 + (16.0 / 17)), (4, null));
        Assert.Equal(1, result.Chosen);
        Assert.Equal("EM 2 + Sim 0.9706", result.Scores[0].Detail);
        Assert.Equal("out: no patch", result.Scores[3].Detail);
    }

    [Fact]
    public void SweSwiss_APatchWithAnExtraFile_FilesOnlyOneSideChangesScoreZero()
    {
        // Arrange: the shared file matches exactly, the extra one scores 0: similarity 1/2 both ways; EM 1 each.
        const string Pb = "@@ -1 +1 @@\n-a\n+b";
        SweSwissSelector.Candidate[] candidates =
        [
            new(1, new Dictionary<string, string> { ["f.py"] = Pb, ["g.py"] = "@@ -1 +1 @@\n-x\n+y" }, null),
            new(2, new Dictionary<string, string> { ["f.py"] = Pb }, null),
        ];

        // Act
        var result = SweSwissSelector.Select(candidates);

        // Assert
        AssertScores(result, (1, 1.5), (2, 1.5));
        Assert.Equal(1, result.Chosen);
    }

    [Fact]
    public void SweSwiss_NoCandidateHasAPatch_NothingChosenWithTheReason()
    {
        // Act
        var result = SweSwissSelector.Select([new(1, null, "the patch does not apply"), new(2, null, null)]);

        // Assert
        Assert.Null(result.Chosen);
        Assert.Null(result.Score);
        Assert.Equal("no candidate has a patch", result.Problem);
        AssertScores(result, (1, null), (2, null));
    }

    [Fact]
    public void Hybrid_SixCandidates_TopThreeByVerifierThenRegressionThenGeneratedTests()
    {
        // Arrange: 5 have a verifier score, so the top max(3, ⌊5/2⌋) = 3 by v are 5, 1, 2; 1 and 2 pass the most
        // regression tests (sample 3 passes more, but is not in the top); 2 passes more generated tests.
        HybridSelector.Candidate[] candidates =
        [
            new(1, 0.9, 12, 1),
            new(2, 0.8, 12, 2),
            new(3, 0.7, 20, 5),
            new(4, 0.6, 12, 2),
            new(5, 0.95, 10, 9),
            new(6, null, 30, 9),
        ];

        // Act
        var result = HybridSelector.Select(candidates);

        // Assert: score = filters survived + v.
        AssertScores(result, (1, 2.9), (2, 3.8), (3, 0.7), (4, 0.6), (5, 1.95), (6, null));
        Assert.Equal(2, result.Chosen);
    }

    [Fact]
    public void Hybrid_EightCandidates_KeepsHalfByVerifier()
    {
        // Arrange: ⌊8/2⌋ = 4 kept by v (samples 8, 7, 6, 5); among them 5 passes the most regression tests.
        var candidates = Enumerable.Range(1, 8).Select(i => new HybridSelector.Candidate(i, i / 10.0, i == 5 ? 9 : i == 4 ? 20 : 3, 0)).ToList();

        // Act
        var result = HybridSelector.Select(candidates);

        // Assert
        Assert.Equal(5, result.Chosen);
        Assert.Equal(3.5, result.Score!.Value, Tolerance);
        Assert.Equal(0.4, result.Scores[3].Score!.Value, Tolerance);
        Assert.Equal(1.8, result.Scores[7].Score!.Value, Tolerance);
    }

    [Fact]
    public void VerifierProbability_YesAndNoTokens_NormalisedMassOfYes()
    {
        // Arrange: YES-like 0.6 + 0.1, NO 0.2; "maybe" ignored.
        (string, double)[] top = [("YES", Math.Log(0.6)), (" yes", Math.Log(0.1)), ("NO", Math.Log(0.2)), ("maybe", Math.Log(0.1))];

        // Act + Assert
        Assert.Equal(0.7 / 0.9, HybridSelector.VerifierProbability(top)!.Value, Tolerance);
        Assert.Null(HybridSelector.VerifierProbability([("maybe", 0.0)]));
        Assert.Equal(1.0, HybridSelector.VerifierProbability([("Yes", -3.0)])!.Value, Tolerance);
    }

    [Fact]
    public void InfCode_SeveralPassEverything_TheLatestRoundsIsChosen()
    {
        // Arrange
        InfCodeSelector.Candidate[] candidates = [new(1, 1, 3, 4), new(2, 1, 4, 4), new(3, 2, 4, 4), new(4, 2, 2, 4), new(5, 2, 0, 4, "no patch")];

        // Act
        var result = InfCodeSelector.Select(candidates);

        // Assert: share passed, plus 1 for all.
        AssertScores(result, (1, 0.75), (2, 2), (3, 2), (4, 0.5), (5, null));
        Assert.Equal(3, result.Chosen);
    }

    [Fact]
    public void InfCode_NonePassesEverything_TheOnePassingTheMost()
    {
        // Act
        var result = InfCodeSelector.Select([new(1, 1, 1, 4), new(2, 2, 3, 4)]);

        // Assert
        Assert.Equal(2, result.Chosen);
        Assert.Equal(0.75, result.Score!.Value, Tolerance);
    }

    [Theory]
    [InlineData("kimi-dev,swe-swiss,hybrid,infcode", "kimi-dev,swe-swiss,hybrid,infcode")]
    [InlineData(" swe-swiss , swe-swiss ", "swe-swiss")]
    public void Parse_KnownNames_InOrderEachOnce(string list, string expected)
    {
        Assert.Equal(expected.Split(','), Selectors.Parse(list));
    }

    [Theory]
    [InlineData("", "names no selector")]
    [InlineData("swe-swiss,best", "unknown selector 'best'")]
    public void Parse_BadList_ClearError(string list, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Selectors.Parse(list));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
