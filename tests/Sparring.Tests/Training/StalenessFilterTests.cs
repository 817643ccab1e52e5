using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class StalenessFilterTests
{
    [Fact]
    public void Apply_DefaultLag_ExactlyEightBehindKeptNineDropped()
    {
        // Arrange
        var current = TrainingSamples.Rollout(version: 20);
        var eight = TrainingSamples.Rollout(version: 12);
        var nine = TrainingSamples.Rollout(version: 11);

        // Act
        var result = StalenessFilter.Apply([current, eight, nine], currentPolicyVersion: 20);

        // Assert
        Assert.Equal(8, StalenessFilter.DefaultMaxLag);
        Assert.Equal([current, eight], result.Kept);
        var removed = Assert.Single(result.Removed);
        Assert.Same(nine, removed.Item);
        Assert.Equal("staleness", removed.Filter);
        Assert.Equal("9 policy versions behind (version 11, current 20, max lag 8)", removed.Reason);
    }

    [Fact]
    public void Apply_LagZero_OnlyCurrentVersionKept()
    {
        // Arrange
        var current = TrainingSamples.Rollout(version: 3);
        var previous = TrainingSamples.Rollout(version: 2);

        // Act
        var result = StalenessFilter.Apply([current, previous], 3, maxLag: 0);

        // Assert
        Assert.Equal([current], result.Kept);
        Assert.Single(result.Removed);
    }

    [Fact]
    public void Apply_RolloutFromTheFuture_Throws()
    {
        // Arrange
        var future = TrainingSamples.Rollout(version: 5);

        // Act
        var error = Assert.Throws<ArgumentException>(() => StalenessFilter.Apply([future], 4));

        // Assert
        Assert.Contains("version 5", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => StalenessFilter.Apply([], 4, maxLag: -1));
    }

    [Fact]
    public void Apply_EmptyInput_EmptyResult()
    {
        // Arrange, Act
        var result = StalenessFilter.Apply([], 0);

        // Assert
        Assert.Empty(result.Kept);
        Assert.Empty(result.Removed);
    }
}
