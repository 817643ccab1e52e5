using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.Store;

public sealed class RunStoreTests
{
    [Fact]
    public async Task CommitRoundAsync_ThenReopen_ReturnsTheRoundAndItsArtifactsInOrder()
    {
        // Arrange
        using var run = new TempDirectory();
        await using (var store = await RunStore.OpenAsync(run.Path))
        {
            // Act
            await store.CommitRoundAsync(new RoundRecord(1, "{}", 1.5), [new ArtifactRecord("r1-b", 1, "removal", 1, "rounds/1/bugs/b", null), new ArtifactRecord("r1-a", 1, "mutation", 1, "rounds/1/bugs/a", null)]);
            await store.CommitAttemptAsync(new AttemptRecord("r1-b", 1, true, "submitted", 3, 100, 1, 2.0, "p.diff", null));
            await store.CommitRewardAsync(new RewardRecord("r1-b", 1, -0.8));
            await store.SetMetaOnceAsync("k", "first");
            await store.SetMetaOnceAsync("k", "second");
        }

        await using var reopened = await RunStore.OpenAsync(run.Path);

        // Assert
        Assert.Equal(1.5, (await reopened.GetRoundAsync(1))!.Seconds);
        Assert.Null(await reopened.GetRoundAsync(2));
        Assert.Equal(["r1-b", "r1-a"], (await reopened.ArtifactsAsync(1)).Select(a => a.Id));
        var attempt = Assert.Single(await reopened.AttemptsAsync("r1-b"));
        Assert.True(attempt.Solved);
        Assert.Equal("p.diff", attempt.PatchPath);
        Assert.Null(attempt.TrajectoryPath);
        Assert.Equal(-0.8, Assert.Single(await reopened.RewardsAsync()).InjectorReward);
        Assert.Equal("first", await reopened.GetMetaAsync("k"));
    }

    [Fact]
    public async Task CommitAttemptAsync_SameAttemptTwice_FailsAndKeepsTheFirst()
    {
        // Arrange
        using var run = new TempDirectory();
        await using var store = await RunStore.OpenAsync(run.Path);
        await store.CommitAttemptAsync(new AttemptRecord("x", 1, false, "turn-limit", 1, 0, -1, 1, null, null));

        // Act
        var error = await Record.ExceptionAsync(() => store.CommitAttemptAsync(new AttemptRecord("x", 1, true, "submitted", 1, 0, 1, 1, null, null)));

        // Assert: a unit is never recorded twice.
        Assert.NotNull(error);
        Assert.False(Assert.Single(await store.AttemptsAsync("x")).Solved);
    }
}
