using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class AdvantageEstimatorsTests
{
    [Fact]
    public void Grpo_SsrRewardsOneSolvedOfFour_DividesByPopulationStd()
    {
        // Arrange: mean −0.5, deviations 1.5 and −0.5; population variance (2.25 + 3·0.25)/4 = 0.75.
        double[] rewards = [1, -1, -1, -1];
        var std = Math.Sqrt(0.75);

        // Act
        var exact = AdvantageEstimators.Grpo(epsilon: 0).Compute(rewards);
        var withDefault = AdvantageEstimators.Grpo().Compute(rewards);

        // Assert: 1.5/√0.75 = √3; the sample std (1) would give 1.5 instead.
        TrainingSamples.Close([Math.Sqrt(3), -1 / Math.Sqrt(3), -1 / Math.Sqrt(3), -1 / Math.Sqrt(3)], exact);
        Assert.NotEqual(1.5, exact[0], 6);
        TrainingSamples.Close([1.5 / (std + 1e-6), -0.5 / (std + 1e-6), -0.5 / (std + 1e-6), -0.5 / (std + 1e-6)], withDefault);
        Assert.Equal(1e-6, AdvantageEstimators.DefaultEpsilon);
    }

    [Fact]
    public void Grpo_ThreeSpreadRewards_HandComputed()
    {
        // Arrange: mean 1, population variance 2/3, std √(2/3); (2 − 1)/√(2/3) = √1.5.
        double[] rewards = [0, 1, 2];

        // Act
        var advantages = AdvantageEstimators.Grpo(0).Compute(rewards);

        // Assert
        TrainingSamples.Close([-Math.Sqrt(1.5), 0, Math.Sqrt(1.5)], advantages);
        Assert.Equal(0, advantages.Sum(), 12);
    }

    [Fact]
    public void Grpo_NegativeRewards_CentredAndScaled()
    {
        // Arrange: mean −2, population std 1.
        double[] rewards = [-3, -1];

        // Act
        var advantages = AdvantageEstimators.Grpo(0).Compute(rewards);

        // Assert
        TrainingSamples.Close([-1, 1], advantages);
    }

    [Theory]
    [InlineData(1e-6, 1.0 / 3)]
    [InlineData(0, 1)]
    [InlineData(1e-3, 5e-7 / (5e-7 + 1e-3))]
    public void Grpo_TinySpread_EpsilonDampens(double epsilon, double expected)
    {
        // Arrange: mean 5e-7, population std 5e-7, so A = ±5e-7 / (5e-7 + ε).
        double[] rewards = [0, 1e-6];

        // Act
        var advantages = AdvantageEstimators.Grpo(epsilon).Compute(rewards);

        // Assert
        TrainingSamples.Close([-expected, expected], advantages, precision: 9);
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(0)]
    public void Grpo_StdZero_ExactZerosNotNaN(double epsilon)
    {
        // Arrange: 0.1 three times has a mean that is not exactly 0.1 in floating point; the result must still be exact.
        var estimator = AdvantageEstimators.Grpo(epsilon);

        // Act
        var equal = estimator.Compute([0.1, 0.1, 0.1]);
        var single = estimator.Compute([5]);
        var empty = estimator.Compute([]);

        // Assert
        Assert.Equal([0.0, 0.0, 0.0], equal);
        Assert.Equal([0.0], single);
        Assert.Empty(empty);
    }

    [Fact]
    public void DrGrpo_Rewards_MinusMeanOnly()
    {
        // Arrange
        var estimator = AdvantageEstimators.DrGrpo();

        // Act
        var ssr = estimator.Compute([1, -1, -1, -1]);
        var negative = estimator.Compute([-3, -1]);
        var single = estimator.Compute([0.5]);
        var equal = estimator.Compute([0.1, 0.1, 0.1]);

        // Assert
        TrainingSamples.Close([1.5, -0.5, -0.5, -0.5], ssr);
        TrainingSamples.Close([-1, 1], negative);
        Assert.Equal([0.0], single);
        Assert.Equal([0.0, 0.0, 0.0], equal);
        Assert.Empty(estimator.Compute([]));
    }

    [Fact]
    public void Rloo_GroupOfTwo_EachAgainstTheOther()
    {
        // Arrange
        var estimator = AdvantageEstimators.Rloo();

        // Act
        var advantages = estimator.Compute([1, 0]);
        var negative = estimator.Compute([-2, -5]);

        // Assert: A_1 = 1 − 0/1, A_2 = 0 − 1/1; A_1 = −2 − (−5), A_2 = −5 − (−2).
        TrainingSamples.Close([1, -1], advantages);
        TrainingSamples.Close([3, -3], negative);
    }

    [Fact]
    public void Rloo_LargerGroups_LeaveOneOutMean()
    {
        // Arrange
        var estimator = AdvantageEstimators.Rloo();

        // Act
        var ssr = estimator.Compute([1, -1, -1, -1]);
        var mixed = estimator.Compute([3, -1, 2]);

        // Assert: 1 − (−3/3) = 2, −1 − (1 − 2)/3 = −2/3; 3 − 1/2, −1 − 5/2, 2 − 2/2.
        TrainingSamples.Close([2, -2.0 / 3, -2.0 / 3, -2.0 / 3], ssr);
        TrainingSamples.Close([2.5, -3.5, 1], mixed);

        // RLOO is Dr. GRPO scaled by G/(G − 1).
        var drGrpo = AdvantageEstimators.DrGrpo().Compute([3, -1, 2]);
        TrainingSamples.Close([.. drGrpo.Select(a => a * 3 / 2)], mixed);
    }

    [Fact]
    public void Rloo_GroupOfOneOrEqualOrEmpty_Zeros()
    {
        // Arrange
        var estimator = AdvantageEstimators.Rloo();

        // Act, Assert: with G = 1 there is no other rollout to form a baseline: 0 by definition.
        Assert.Equal([0.0], estimator.Compute([7]));
        Assert.Equal([0.0, 0.0], estimator.Compute([-1, -1]));
        Assert.Empty(estimator.Compute([]));
    }

    [Theory]
    [InlineData("grpo")]
    [InlineData("drgrpo")]
    [InlineData("rloo")]
    public void Compute_NonFiniteReward_Throws(string name)
    {
        // Arrange
        var estimator = AdvantageEstimators.Get(name);

        // Act, Assert
        var nan = Assert.Throws<ArgumentException>(() => estimator.Compute([1, double.NaN]));
        Assert.Contains("Reward 1", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => estimator.Compute([double.PositiveInfinity]));
    }

    [Theory]
    [InlineData("grpo", "grpo")]
    [InlineData("drgrpo", "drgrpo")]
    [InlineData("rloo", "rloo")]
    [InlineData("GRPO", "grpo")]
    [InlineData("RLOO", "rloo")]
    public void Get_KnownName_EstimatorOfThatName(string name, string expected)
    {
        // Arrange, Act
        var estimator = AdvantageEstimators.Get(name);

        // Assert
        Assert.Equal(expected, estimator.Name);
        Assert.Contains(expected, AdvantageEstimators.Names);
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingKnownNames()
    {
        // Arrange, Act
        var error = Assert.Throws<ArgumentException>(() => AdvantageEstimators.Get("ppo"));

        // Assert
        Assert.Contains("'ppo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("grpo, drgrpo, rloo", error.Message, StringComparison.Ordinal);
        Assert.Equal("name", error.ParamName);
    }

    [Theory]
    [InlineData(-1e-9)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Grpo_BadEpsilon_Throws(double epsilon)
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => AdvantageEstimators.Grpo(epsilon));
    }
}
