using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class StepLengthPenaltyTests
{
    private static readonly StepLengthPenaltyOptions Options = new() { LengthThreshold = 10, MaxLength = 30 };

    [Theory]
    [InlineData(0, 0)]
    [InlineData(9, 0)]

    // Exactly L_thr: |τ| < L_thr is false, but the penalty is −0/20 = 0.
    [InlineData(10, 0)]
    [InlineData(11, -0.05)]
    [InlineData(20, -0.5)]

    // Exactly T_max: −1.
    [InlineData(30, -1)]

    // Beyond T_max: the formula goes on linearly.
    [InlineData(40, -1.5)]
    public void Compute_Length_NebiusFormula(int length, double expected)
    {
        // Arrange, Act
        var penalty = StepLengthPenalty.Compute(length, Options);

        // Assert
        Assert.Equal(expected, penalty, 12);
        Assert.False(double.IsNegative(penalty) && penalty == 0, "a zero penalty is +0");
    }

    [Fact]
    public void Apply_OverLongFailure_PenalizedNotDropped()
    {
        // Arrange
        var quick = TrainingSamples.Rollout(1, steps: 5);
        var looping = TrainingSamples.Rollout(-1, steps: 30, stop: "turn-limit");
        var slow = TrainingSamples.Rollout(1, steps: 15);

        // Act
        var result = StepLengthPenalty.Apply([quick, looping, slow], Options);

        // Assert
        Assert.Equal(3, result.Kept.Count);
        Assert.Empty(result.Removed);
        Assert.Same(quick, result.Kept[0]);
        Assert.Equal(-2, result.Kept[1].Reward, 12);
        Assert.Equal(-1, result.Kept[1].LengthPenalty, 12);
        Assert.Equal(0.75, result.Kept[2].Reward, 12);
        Assert.Equal(2, result.Adjusted.Count);
        Assert.Equal("R_len = -1 for |τ| = 30 steps (L_thr 10, T_max 30); R = -1 + -1", result.Adjusted[0].Reason);
        Assert.Equal("step-length-penalty", result.Adjusted[0].Filter);
    }

    [Fact]
    public void Apply_Twice_ReplacesPenaltyInsteadOfStacking()
    {
        // Arrange
        var rollout = TrainingSamples.Rollout(1, steps: 20);
        var stricter = new StepLengthPenaltyOptions { LengthThreshold = 0, MaxLength = 40 };

        // Act
        var once = StepLengthPenalty.Apply([rollout], Options).Kept[0];
        var again = StepLengthPenalty.Apply([once], Options);
        var changed = StepLengthPenalty.Apply([once], stricter).Kept[0];

        // Assert
        Assert.Equal(0.5, once.Reward, 12);
        Assert.Same(once, again.Kept[0]);
        Assert.Empty(again.Adjusted);
        Assert.Equal(0.5, changed.Reward, 12);
        Assert.Equal(-0.5, changed.LengthPenalty, 12);
    }

    [Fact]
    public void Apply_TokensUnit_CountsTokens()
    {
        // Arrange
        var options = new StepLengthPenaltyOptions { LengthThreshold = 1000, MaxLength = 3000, Unit = TrajectoryLengthUnit.Tokens };
        var rollout = TrainingSamples.Rollout(0, steps: 1, tokens: 2500);

        // Act
        var result = StepLengthPenalty.Apply([rollout], options);

        // Assert
        Assert.Equal(-0.75, result.Kept[0].Reward, 12);
        Assert.Contains("2500 tokens", result.Adjusted[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(31, 30)]
    [InlineData(-1, 30)]
    public void Validate_ThresholdNotBelowMax_Throws(int threshold, int max)
    {
        // Arrange
        var options = new StepLengthPenaltyOptions { LengthThreshold = threshold, MaxLength = max };

        // Act, Assert
        Assert.Throws<ArgumentException>(() => StepLengthPenalty.Compute(5, options));
        Assert.Throws<ArgumentException>(() => StepLengthPenalty.Apply([], options));
    }

    [Fact]
    public void Compute_NegativeLength_Throws()
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => StepLengthPenalty.Compute(-1, Options));
        Assert.Empty(StepLengthPenalty.Apply([], Options).Kept);
    }
}
