using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class DynamicSamplingTests
{
    [Fact]
    public void Apply_MixedGroups_KeepsVarianceDropsTheRestWithReasons()
    {
        // Arrange
        var signal = TrainingSamples.Group("signal", 1, -1, -1);
        var solvedAll = TrainingSamples.Group("solved", 1, 1, 1, 1);
        var failedAll = TrainingSamples.Group("failed", -1, -1);
        var single = TrainingSamples.Group("single", 1);
        var empty = new RolloutGroup { GroupId = "empty", TaskId = "t", Rollouts = [] };

        // Act
        var result = DynamicSampling.Apply([signal, solvedAll, failedAll, single, empty]);

        // Assert
        Assert.Equal([signal], result.Kept);
        Assert.Equal(["solved", "failed", "single", "empty"], result.Removed.Select(d => d.Item.GroupId));
        Assert.All(result.Removed, d => Assert.Equal("dynamic-sampling", d.Filter));
        Assert.Equal("zero variance: all 4 rewards equal 1", result.Removed[0].Reason);
        Assert.Equal("zero variance: all 2 rewards equal -1", result.Removed[1].Reason);
        Assert.Equal("zero variance: all 1 rewards equal 1", result.Removed[2].Reason);
        Assert.Equal("empty group", result.Removed[3].Reason);
        Assert.Empty(result.Masked);
    }

    [Fact]
    public void Apply_EverythingMasked_GroupDropped()
    {
        // Arrange: rewards differ, but no rollout would carry a loss.
        var group = TrainingSamples.Group("g", 1, -1);
        group = group with { Rollouts = [.. group.Rollouts.Select(r => r with { Masked = true, MaskReason = "compact:length" })] };
        var partlyMasked = TrainingSamples.Group("h", 1, -1);
        partlyMasked = partlyMasked with { Rollouts = [partlyMasked.Rollouts[0], partlyMasked.Rollouts[1] with { Masked = true }] };

        // Act
        var result = DynamicSampling.Apply([group, partlyMasked]);

        // Assert
        Assert.Equal([partlyMasked], result.Kept);
        Assert.Equal("all 2 rollouts are masked", Assert.Single(result.Removed).Reason);
    }

    [Fact]
    public void Apply_NearlyEqualRewards_Kept()
    {
        // Arrange: a length penalty makes otherwise equal rewards differ: that is real variance.
        var group = TrainingSamples.Group("g", -1, -1.05);

        // Act
        var result = DynamicSampling.Apply([group]);

        // Assert
        Assert.Single(result.Kept);
        Assert.Empty(result.Removed);
    }

    [Fact]
    public void Apply_EmptyInput_EmptyResult()
    {
        // Arrange, Act
        var result = DynamicSampling.Apply([]);

        // Assert
        Assert.Empty(result.Kept);
        Assert.Empty(result.Removed);
    }
}
