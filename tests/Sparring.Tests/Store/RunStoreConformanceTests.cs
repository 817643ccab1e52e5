using Sparring.Grading;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Tests.Store;

/// <summary>
/// What every <see cref="IRunStore"/> must do: keep each commit whole, never record a unit twice, keep first values
/// where a redo may write again, and read back in a fixed order. Each store subclasses this class and supplies
/// <see cref="OpenAsync"/>.
/// </summary>
public abstract class RunStoreConformanceTests : IDisposable
{
    protected RunStoreConformanceTests() => Run = new TempDirectory("sparring-run-");

    /// <summary>The test's run directory.</summary>
    protected TempDirectory Run { get; }

    /// <summary>Opens the test's run (the same run at every call of one test, a fresh run for each test).</summary>
    protected abstract Task<IRunStore> OpenAsync();

    public void Dispose()
    {
        Run.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CommitRoundAsync_ThenReopen_ReturnsTheRoundAndItsArtifactsInOrder()
    {
        // Arrange
        await using (var store = await OpenAsync())
        {
            // Act
            await store.CommitRoundAsync(new RoundRecord(1, """{"note":"é ✓"}""", 1.5), [new ArtifactRecord("r1-b", 1, "removal", 1, "rounds/1/bugs/b", null), new ArtifactRecord("r1-a", 1, "mutation", 1, "rounds/1/bugs/a", "r0-x")]);
            await store.CommitAttemptAsync(new AttemptRecord("r1-b", 1, GradeOutcome.Solved, "submitted", 3, 100, 1, 2.0, "p.diff", null));
            await store.CommitRewardAsync(new RewardRecord("r1-b", 1, -0.8));
            await store.SetMetaOnceAsync("k", "first");
            await store.SetMetaOnceAsync("k", "second");
        }

        await using var reopened = await OpenAsync();

        // Assert
        Assert.Equal(Run.Path, reopened.Directory);
        Assert.Equal(new RoundRecord(1, """{"note":"é ✓"}""", 1.5), await reopened.GetRoundAsync(1));
        Assert.Null(await reopened.GetRoundAsync(2));
        Assert.Equal(["r1-b", "r1-a"], (await reopened.ArtifactsAsync(1)).Select(a => a.Id));
        Assert.Equal(new ArtifactRecord("r1-a", 1, "mutation", 1, "rounds/1/bugs/a", "r0-x"), (await reopened.ArtifactsAsync())[1]);
        Assert.Empty(await reopened.ArtifactsAsync(2));
        var attempt = Assert.Single(await reopened.AttemptsAsync("r1-b"));
        Assert.Equal(new AttemptRecord("r1-b", 1, GradeOutcome.Solved, "submitted", 3, 100, 1, 2.0, "p.diff", null), attempt);
        Assert.Equal(-0.8, Assert.Single(await reopened.RewardsAsync()).InjectorReward);
        Assert.Equal("first", await reopened.GetMetaAsync("k"));
        Assert.Null(await reopened.GetMetaAsync("absent"));
    }

    [Fact]
    public async Task CommitAttemptAsync_SameAttemptTwice_FailsAndKeepsTheFirst()
    {
        // Arrange
        await using var store = await OpenAsync();
        await store.CommitAttemptAsync(new AttemptRecord("x", 1, GradeOutcome.Unsolved, "turn-limit", 1, 0, -1, 1, null, null));

        // Act
        var error = await Record.ExceptionAsync(() => store.CommitAttemptAsync(new AttemptRecord("x", 1, GradeOutcome.Solved, "submitted", 1, 0, 1, 1, null, null)));

        // Assert: a unit is never recorded twice.
        Assert.NotNull(error);
        Assert.False(Assert.Single(await store.AttemptsAsync("x")).Solved);
    }

    [Fact]
    public async Task CommitAttemptAsync_EachOutcome_ReadsBackTheSameOutcome()
    {
        // Arrange
        await using (var store = await OpenAsync())
        {
            // Act
            await store.CommitAttemptAsync(new AttemptRecord("b", 1, GradeOutcome.Solved, "submitted", 3, 10, 1, 1, "a1.diff", "t1.json"));
            await store.CommitAttemptAsync(new AttemptRecord("b", 2, GradeOutcome.Unsolved, "submitted", 4, 20, -1, 1, "a2.diff", "t2.json"));
            await store.CommitAttemptAsync(new AttemptRecord("b", 3, GradeOutcome.Tampered, "submitted", 5, 3_000_000_000L, -1, 1.25, "a3.diff", "t3.json"));
        }

        await using var reopened = await OpenAsync();
        var attempts = await reopened.AttemptsAsync("b");

        // Assert: the outcome survives; a tampered attempt is neither solved nor lost among the unsolved.
        Assert.Equal([GradeOutcome.Solved, GradeOutcome.Unsolved, GradeOutcome.Tampered], attempts.Select(a => a.Outcome));
        Assert.Equal([true, false, false], attempts.Select(a => a.Solved));
        Assert.Equal([false, false, true], attempts.Select(a => a.Tampered));
        Assert.Equal(new AttemptRecord("b", 3, GradeOutcome.Tampered, "submitted", 5, 3_000_000_000L, -1, 1.25, "a3.diff", "t3.json"), attempts[2]);
    }

    [Fact]
    public async Task CommitRoundAsync_AnArtifactFails_CommitsNothingOfTheRound()
    {
        // Arrange
        await using var store = await OpenAsync();
        await store.CommitRoundAsync(new RoundRecord(1, "{}", 1), [new ArtifactRecord("a", 1, "removal", 1, "rounds/1/bugs/a", null)]);

        // Act: round 2's second artifact reuses an id, so round 2 fails whole; round 1 again fails too.
        var duplicateArtifact = await Record.ExceptionAsync(() => store.CommitRoundAsync(
            new RoundRecord(2, "{}", 2), [new ArtifactRecord("b", 2, "removal", 1, "rounds/2/bugs/b", null), new ArtifactRecord("a", 2, "removal", 2, "rounds/2/bugs/a", null)]));
        var duplicateRound = await Record.ExceptionAsync(() => store.CommitRoundAsync(new RoundRecord(1, "{}", 9), [new ArtifactRecord("c", 1, "removal", 2, "rounds/1/bugs/c", null)]));
        var afterFailures = (await store.ArtifactsAsync()).Select(a => a.Id).ToList();
        await store.CommitRoundAsync(new RoundRecord(2, "{}", 2), [new ArtifactRecord("b", 2, "removal", 1, "rounds/2/bugs/b", null)]);

        // Assert
        Assert.NotNull(duplicateArtifact);
        Assert.NotNull(duplicateRound);
        Assert.Equal(["a"], afterFailures);
        Assert.Equal(["a", "b"], (await store.ArtifactsAsync()).Select(a => a.Id));
        Assert.Equal([1.0, 2.0], (await store.RoundsAsync()).Select(r => r.Seconds));
        Assert.Equal(["b"], (await store.ArtifactsAsync(2)).Select(a => a.Id));
    }

    [Fact]
    public async Task RewardsAndAttempts_MixedCaseIds_ComeBackInByteOrder()
    {
        // Arrange
        await using var store = await OpenAsync();
        foreach (var id in new[] { "b", "B", "a", "_c" })
        {
            await store.CommitRewardAsync(new RewardRecord(id, 0.5, 0.1));
            await store.CommitAttemptAsync(new AttemptRecord(id, 2, GradeOutcome.Unsolved, "submitted", 1, 1, -1, 1, null, null));
            await store.CommitAttemptAsync(new AttemptRecord(id, 1, GradeOutcome.Solved, "submitted", 1, 1, 1, 1, null, null));
        }

        // Act
        var duplicate = await Record.ExceptionAsync(() => store.CommitRewardAsync(new RewardRecord("a", 1, 1)));
        var rewards = await store.RewardsAsync();
        var attempts = await store.AttemptsAsync();

        // Assert: ordinal order ('B' < '_' < 'a'), whatever the database's collation; the first reward is kept.
        Assert.NotNull(duplicate);
        Assert.Equal(["B", "_c", "a", "b"], rewards.Select(r => r.ArtifactId));
        Assert.Equal(0.5, rewards[2].SolveRate);
        Assert.Equal(["B:1", "B:2", "_c:1", "_c:2", "a:1", "a:2", "b:1", "b:2"], attempts.Select(a => $"{a.ArtifactId}:{a.Attempt}"));
    }

    [Fact]
    public async Task RecordStageAsync_SameUnitTwice_KeepsTheFirstAndSumsByStage()
    {
        // Arrange
        await using var store = await OpenAsync();

        // Act
        await store.RecordStageAsync("inject:1", "inject", 1.04);
        await store.RecordStageAsync("inject:1", "inject", 9);
        await store.RecordStageAsync("inject:2", "inject", 2);
        await store.RecordStageAsync("solve:a:1", "solve", 0.26);
        var seconds = await store.SecondsByStageAsync();

        // Assert
        Assert.Equal(2, seconds.Count);
        Assert.Equal(3.0, seconds["inject"]);
        Assert.Equal(0.3, seconds["solve"]);
    }

    [Fact]
    public async Task AttemptsAsync_WhileAnotherCallerCommits_ReadsWithoutFailing()
    {
        // Arrange: one store shared by a writer and a reader, as the dispatcher's stages share it.
        await using var store = await OpenAsync();
        const int Attempts = 60;

        // Act
        var writer = Task.Run(async () =>
        {
            for (var i = 1; i <= Attempts; i++)
            {
                await store.CommitAttemptAsync(new AttemptRecord("a", i, GradeOutcome.Unsolved, "submitted", 1, 1, -1, 1, null, null));
                await store.RecordStageAsync($"solve:a:{i}", "solve", 1);
            }
        });
        var seen = new List<int>();
        while (!writer.IsCompleted)
        {
            seen.Add((await store.AttemptsAsync("a")).Count);
            await store.SecondsByStageAsync();
        }

        await writer;

        // Assert: every read saw whole commits only, in growing number.
        Assert.Equal(Attempts, (await store.AttemptsAsync()).Count);
        Assert.Equal(seen.Order(), seen);
        Assert.All(seen, n => Assert.InRange(n, 0, Attempts));
    }
}
