using Sparring.Rewards;

namespace Sparring.Tests.Rewards;

public sealed class TestWriterRewardTests
{
    private static readonly string[] Baseline = ["old::a", "old::b"];

    private static TestWriterReward.Run Run(params (string Id, bool Passed)[] tests) => new(tests.ToDictionary(t => t.Id, t => t.Passed, StringComparer.Ordinal));

    [Fact]
    public void Score_NewCasesFailOnBrokenAndPassOnFixed_One()
    {
        // Arrange: old tests are not the writer's, whatever they do.
        var broken = Run(("old::a", true), ("old::b", false), ("new::x", false), ("new::y", true));
        var fixedTree = Run(("old::a", false), ("old::b", true), ("new::x", true), ("new::y", true));

        // Act
        var result = TestWriterReward.Score(Baseline, broken, broken, fixedTree);

        // Assert
        Assert.Equal(1, result.Reward);
        Assert.Equal(["new::x", "new::y"], result.Cases);
        Assert.Equal("fail→pass (2 case(s): 1 fail on the broken tree, 2 pass on the fixed tree)", result.Reason);
    }

    [Fact]
    public void Score_CasesMissingOnTheBrokenTree_CountAsFailedThere()
    {
        // Arrange: the test does not even compile against the broken code, so its cases are absent there.
        var missing = new TestWriterReward.Run(new Dictionary<string, bool>(), "the suite did not run (build failed)");
        var result = TestWriterReward.Score(Baseline, missing, missing, Run(("new::x", true)));

        // Assert
        Assert.Equal(1, result.Reward);
    }

    [Theory]
    [InlineData(true, true, "does not fail on the broken tree")]
    [InlineData(false, false, "does not pass on the fixed tree")]
    [InlineData(true, false, "does not fail on the broken tree")]
    public void Score_NotFailToPass_Zero(bool passesOnBroken, bool passesOnFixed, string reason)
    {
        // Act
        var result = TestWriterReward.Score(Baseline, Run(("new::x", passesOnBroken)), Run(("new::x", passesOnBroken)), Run(("new::x", passesOnFixed)));

        // Assert
        Assert.Equal(0, result.Reward);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_OneCaseFailsOnTheFixedTree_Zero()
    {
        // Act
        var broken = Run(("new::x", false), ("new::y", false));
        var result = TestWriterReward.Score(Baseline, broken, broken, Run(("new::x", true), ("new::y", false)));

        // Assert
        Assert.Equal(0, result.Reward);
        Assert.Contains("1 pass on the fixed tree", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_NoNewCaseOrAFixedRunThatDidNotRun_ZeroWithTheReason()
    {
        // Act
        var noCase = TestWriterReward.Score(Baseline, Run(("old::a", false)), Run(("old::a", false)), Run(("old::a", true)));
        var didNotRun = TestWriterReward.Score(Baseline, Run(("new::x", false)), Run(("new::x", false)), new TestWriterReward.Run(new Dictionary<string, bool>(), "the suite timed out"));

        // Assert
        Assert.Equal((0.0, "the test adds no test case the suite runs"), (noCase.Reward, noCase.Reason));
        Assert.Equal((0.0, "the test fails to run on the fixed tree: the suite timed out"), (didNotRun.Reward, didNotRun.Reason));
    }

    [Fact]
    public void Score_PassesOnceACommentIsAddedToTheBugsFiles_ZeroForTellingTheTreesApartByText()
    {
        // Arrange: a test that hashes the broken source fails there, and passes on any other text.
        var broken = Run(("new::x", false));

        // Act
        var result = TestWriterReward.Score(Baseline, broken, Run(("new::x", true)), Run(("new::x", true)));

        // Assert
        Assert.Equal(0, result.Reward);
        Assert.Contains("tells the trees apart by their text", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_TheBrokenRunTimedOut_ZeroWhateverTheFixedTreeSays()
    {
        // Arrange
        var hung = new TestWriterReward.Run(new Dictionary<string, bool>(), "the suite timed out", TimedOut: true);

        // Act
        var result = TestWriterReward.Score(Baseline, hung, hung, Run(("new::x", true)));

        // Assert
        Assert.Equal(0, result.Reward);
        Assert.Contains("times out on the broken tree", result.Reason, StringComparison.Ordinal);
    }
}
