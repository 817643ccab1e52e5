using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class CompactFilterTests
{
    [Fact]
    public void Apply_DefaultOptions_MasksEveryLimitKeepsNaturalEndings()
    {
        // Arrange
        string[] limits = ["length", "token-limit", "timeout", "wall-clock", "max-steps", "turn-limit"];
        var cut = limits.Select((s, i) => TrainingSamples.Rollout(-1, stop: s, group: "g" + i)).ToList();
        var submitted = TrainingSamples.Rollout(1, stop: "submitted");
        var crashed = TrainingSamples.Rollout(-1, stop: "sandbox-crash");

        // Act
        var result = CompactFilter.Apply([submitted, .. cut, crashed]);

        // Assert: nothing dropped; order kept; limits masked with the reason on the rollout.
        Assert.Equal(8, result.Kept.Count);
        Assert.Empty(result.Removed);
        Assert.Same(submitted, result.Kept[0]);
        Assert.Same(crashed, result.Kept[7]);
        Assert.Equal(limits, result.Masked.Select(d => d.Item.StopReason.Value));
        Assert.All(result.Kept.Skip(1).Take(6), r => Assert.True(r.Masked));
        Assert.Equal("compact:max-steps", result.Kept[5].MaskReason);
        Assert.Equal("stopped by 'max-steps'", result.Masked[4].Reason);
        Assert.All(result.Masked, d => Assert.Equal("compact", d.Filter));
        Assert.False(cut[0].Masked);
    }

    [Fact]
    public void Apply_OnlyLengthConfigured_OtherLimitsStayInLoss()
    {
        // Arrange
        var options = new CompactFilterOptions { MaskedStopReasons = new HashSet<StopReason> { StopReason.Length } };
        var length = TrainingSamples.Rollout(-1, stop: "length");
        var steps = TrainingSamples.Rollout(-1, stop: "turn-limit");

        // Act
        var result = CompactFilter.Apply([length, steps], options);

        // Assert
        Assert.True(result.Kept[0].Masked);
        Assert.Same(steps, result.Kept[1]);
        Assert.Single(result.Masked);
    }

    [Fact]
    public void Apply_EverythingMaskedOrAlreadyMasked_AllKeptOnlyNewOnesReported()
    {
        // Arrange
        var earlier = TrainingSamples.Rollout(1, stop: "timeout") with { Masked = true, MaskReason = "malformed-action" };
        var fresh = TrainingSamples.Rollout(0, stop: "timeout");

        // Act
        var result = CompactFilter.Apply([earlier, fresh]);

        // Assert
        Assert.All(result.Kept, r => Assert.True(r.Masked));
        Assert.Equal("malformed-action", result.Kept[0].MaskReason);
        Assert.Equal("compact:timeout", Assert.Single(result.Masked).Item.MaskReason);
    }

    [Fact]
    public void Apply_EmptyInput_EmptyResult()
    {
        // Arrange, Act
        var result = CompactFilter.Apply([]);

        // Assert
        Assert.Empty(result.Kept);
        Assert.Empty(result.Masked);
    }
}
