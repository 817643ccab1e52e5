using Sparring.Grading;
using Sparring.Injection;
using Sparring.Rewards;
using Sparring.TestUtilities;

namespace Sparring.Tests.Rewards;

public sealed class RewardsTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, -1)]
    public void Solver_Outcome_PlusOrMinusOne(bool solved, int expected)
    {
        // Arrange, Act
        var reward = Reward.Solver(solved);

        // Assert
        Assert.Equal(expected, reward);
    }

    [Theory]
    [InlineData("solved", 1)]
    [InlineData("unsolved", -1)]
    [InlineData("tampered", -1)]
    [InlineData("from-a-later-version", -1)]
    public void Solver_GradeOutcome_OnlySolvedEarnsPlusOneAndTamperedIsAFailure(string outcome, int expected)
    {
        // Arrange
        var grade = new GradeOutcome(outcome);

        // Act
        var reward = Reward.Solver(grade);

        // Assert
        Assert.Equal(expected, reward);
        Assert.Equal(Reward.Solver(grade == GradeOutcome.Solved), reward);
    }

    [Fact]
    public void Solver_TamperedGradeResult_MinusOneAndNotSolved()
    {
        // Arrange: what the grader returns when a canary shows the results were falsified.
        var grade = new GradeResult { Solved = false, Tampered = true, Reasons = ["tampered: the canary test passed"] };

        // Act
        var reward = Reward.Solver(grade.Outcome);

        // Assert
        Assert.Equal(GradeOutcome.Tampered, grade.Outcome);
        Assert.Equal(-1, reward);
        Assert.Equal(GradeOutcome.Tampered, GradeOutcome.Parse(grade.Outcome.Value, grade.Solved));
    }

    [Theory]
    // s = 1/8, α = 0.8: 1 − 1.8/8 = 0.775
    [InlineData(1, 8, 0.8, 0.775)]
    // s = 2/8: 1 − 1.8·0.25 = 0.55
    [InlineData(2, 8, 0.8, 0.55)]
    // s = 7/8: 1 − 1.8·0.875 = −0.575
    [InlineData(7, 8, 0.8, -0.575)]
    // s = 1/2, α = 0.5: 1 − 1.5·0.5 = 0.25
    [InlineData(4, 8, 0.5, 0.25)]
    // α = 0: 1 − s
    [InlineData(3, 4, 0.0, 0.25)]
    // α = 1: 1 − 2s; s = 1/2 gives exactly 0
    [InlineData(1, 2, 1.0, 0.0)]
    public void Injector_ValidBugAtTheFrontier_OneMinusOnePlusAlphaTimesS(int solved, int attempts, double alpha, double expected)
    {
        // Arrange
        var outcomes = Enumerable.Range(0, attempts).Select(i => i < solved).ToList();

        // Act
        var reward = Reward.Injector(valid: true, outcomes, alpha);

        // Assert
        Assert.Equal(expected, reward, precision: 12);
        Assert.Equal(expected, Reward.InjectorAtRate((double)solved / attempts, alpha), precision: 12);
    }

    [Theory]
    [InlineData(0, 0.8)]
    [InlineData(8, 0.8)]
    [InlineData(0, 0.3)]
    [InlineData(8, 0.3)]
    public void Injector_SolveRateExactlyZeroOrOne_MinusAlpha(int solved, double alpha)
    {
        // Arrange
        var outcomes = Enumerable.Range(0, 8).Select(i => i < solved).ToList();

        // Act
        var reward = Reward.Injector(valid: true, outcomes, alpha);

        // Assert
        Assert.Equal(-alpha, reward);
        Assert.Equal(-alpha, Reward.InjectorAtRate(solved / 8.0, alpha));
    }

    [Fact]
    public void Injector_DefaultAlpha_IsThePapers()
    {
        // Arrange, Act
        var reward = Reward.Injector(valid: true, [true, false, false, false, false, false, false, false]);

        // Assert
        Assert.Equal(0.8, Reward.DefaultAlpha);
        Assert.Equal(0.775, reward, precision: 12);
        Assert.Equal(-0.8, Reward.Injector(valid: true, [false]));
    }

    [Fact]
    public void Injector_ValidationFailed_MinusOneWhateverTheGroup()
    {
        // Arrange, Act, Assert
        Assert.Equal(-1, Reward.Injector(valid: false, []));
        Assert.Equal(-1, Reward.Injector(valid: false, [true, false], alpha: 0.2));
    }

    [Fact]
    public void Injector_EmptyGroupForAValidBug_Throws()
    {
        // Arrange, Act
        var error = Assert.Throws<ArgumentException>(() => Reward.Injector(valid: true, []));

        // Assert
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Injector_AlphaOutOfRange_Throws(double alpha)
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => Reward.Injector(valid: true, [true, false], alpha));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reward.InjectorAtRate(0.5, alpha));
    }

    [Fact]
    public void InjectorAtRate_RateOutsideZeroToOne_Throws()
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => Reward.InjectorAtRate(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reward.InjectorAtRate(-0.01));
    }

    [Fact]
    public void FromFailedAttempt_OrderOneArtifact_OrderTwoWithParentAndPatch()
    {
        // Arrange
        var artifact = SampleArtifacts.For(Samples.Python);
        var time = new FixedTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

        // Act
        var orderTwo = HigherOrderBugs.FromFailedAttempt(artifact, "diff --git a/x b/x\n", time);

        // Assert
        Assert.Equal(2, orderTwo.Metadata.Order);
        Assert.Equal("higher-order", orderTwo.Metadata.Strategy);
        Assert.Equal(artifact.Metadata.Id, orderTwo.Metadata.Parent);
        Assert.StartsWith(artifact.Metadata.Id + "-o2-", orderTwo.Metadata.Id, StringComparison.Ordinal);
        Assert.Equal("diff --git a/x b/x\n", orderTwo.PredPatch);
        Assert.Equal(time.GetUtcNow(), orderTwo.Metadata.CreatedAt);
        Assert.Equal(artifact.BugInjectDiff, orderTwo.BugInjectDiff);
        Assert.Equal(artifact.Metadata.Parser, orderTwo.Metadata.Parser);
        Assert.Null(orderTwo.Metadata.Validation);
    }

    [Fact]
    public void FromFailedAttempt_OrderTwoArtifact_RefusesOrderThree()
    {
        // Arrange
        var orderTwo = HigherOrderBugs.FromFailedAttempt(SampleArtifacts.For(Samples.Python), "diff --git a/x b/x\n");

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => HigherOrderBugs.FromFailedAttempt(orderTwo, "diff --git a/y b/y\n"));

        // Assert
        Assert.Contains("order 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HigherOrderBugs.FromFailedAttempt(SampleArtifacts.For(Samples.Python), "  "));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory]
    [InlineData(1, 3, 0.3333)]
    [InlineData(2, 3, 0.6667)]
    [InlineData(0, 5, 0)]
    [InlineData(4, 4, 1)]
    [InlineData(0, 0, 0)]
    public void SolveRate_SolvedOverAttempts_RoundedToFourDecimalsAndZeroWithoutAttempts(int solved, int attempts, double expected)
    {
        // Arrange, Act
        var rate = Reward.SolveRate(solved, attempts);

        // Assert
        Assert.Equal(expected, rate);
    }
}
