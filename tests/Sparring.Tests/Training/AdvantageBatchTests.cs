using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class AdvantageBatchTests
{
    [Fact]
    public void Create_TwoGroups_AdvantagesPerGroupWithEstimatorAndAggregationRecorded()
    {
        // Arrange
        var first = TrainingSamples.Group("a", 1, 0);
        var second = TrainingSamples.Group("b", 3, -1, 2);

        // Act
        var batch = AdvantageBatch.Create([first, second], AdvantageEstimators.Rloo(), LossAggregation.TokenMean);

        // Assert
        Assert.Equal("rloo", batch.Estimator);
        Assert.Equal(LossAggregation.TokenMean, batch.LossAggregation);
        TrainingSamples.Close([1, -1, 2.5, -3.5, 1], [.. batch.Items.Select(i => i.Advantage)]);
        Assert.Same(second.Rollouts[2], batch.Items[4].Rollout);
        Assert.All(batch.Items, i => Assert.True(i.ContributesToLoss));
    }

    [Fact]
    public void Create_MaskedRollout_CountsInGroupButNoLoss()
    {
        // Arrange: the masked rollout's reward still shapes its sibling's advantage.
        var group = new RolloutGroup
        {
            GroupId = "g",
            TaskId = "t",
            Rollouts = [TrainingSamples.Rollout(1), TrainingSamples.Rollout(-1) with { Masked = true, MaskReason = "compact:length" }],
        };

        // Act
        var batch = AdvantageBatch.Create([group], AdvantageEstimators.DrGrpo(), LossAggregation.SeqMeanTokenMean);

        // Assert
        TrainingSamples.Close([1, -1], [.. batch.Items.Select(i => i.Advantage)]);
        Assert.True(batch.Items[0].ContributesToLoss);
        Assert.False(batch.Items[1].ContributesToLoss);
    }

    [Fact]
    public void Create_EverythingMasked_NoItemContributes()
    {
        // Arrange
        var group = TrainingSamples.Group("g", 1, 0, 0);
        group = group with { Rollouts = [.. group.Rollouts.Select(r => r with { Masked = true, MaskReason = "compact:timeout" })] };

        // Act
        var batch = AdvantageBatch.Create([group], AdvantageEstimators.Grpo(), LossAggregation.SeqMeanTokenSum);

        // Assert
        Assert.Equal(3, batch.Items.Count);
        Assert.DoesNotContain(batch.Items, i => i.ContributesToLoss);
        Assert.Equal(LossAggregation.SeqMeanTokenSum, batch.LossAggregation);
    }

    [Fact]
    public void Create_NoGroupsOrEmptyGroup_EmptyBatch()
    {
        // Arrange
        var empty = new RolloutGroup { GroupId = "g", TaskId = "t", Rollouts = [] };

        // Act
        var none = AdvantageBatch.Create([], AdvantageEstimators.Grpo(), LossAggregation.TokenMean);
        var hollow = AdvantageBatch.Create([empty], AdvantageEstimators.Grpo(), LossAggregation.TokenMean);

        // Assert
        Assert.Empty(none.Items);
        Assert.Empty(hollow.Items);
        Assert.Equal("grpo", none.Estimator);
    }

    [Fact]
    public void Create_UnsetAggregation_Throws()
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentException>(() => AdvantageBatch.Create([], AdvantageEstimators.Grpo(), default));
    }
}
