using System.Collections.Concurrent;
using Sparring.Repos;
using Sparring.Runs;
using Sparring.Store;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Runs;

/// <summary>
/// Self-play shared by workers through a PostgreSQL run's leases (<see cref="SelfPlayRunner.WorkAsync"/>): the same
/// records as one uninterrupted process, whatever the workers do and whichever of them dies.
/// </summary>
public sealed class SelfPlayWorkTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly SelfPlayOptions Options = new() { Rounds = 2, BugsPerRound = 1, Attempts = 2, SearchBudget = 2, Seed = 5, MaxCandidatesPerStrategy = 4 };

    [Fact]
    public async Task WorkAsync_ThreeWorkersOneStoppedMidUnit_RecordsEveryUnitOnceAndEqualsTheUninterruptedRun()
    {
        // Arrange: the uninterrupted run, in one process with SQLite.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        using var reference = new TempDirectory();
        await using (var store = await SqliteRunStore.OpenAsync(reference.Path))
        {
            await new SelfPlayRunner(SampleEnvironments.Sandboxes, Options).RunAsync(environment, repository, store);
        }

        using var shared = new TempDirectory();
        var run = $"work-{Guid.NewGuid():N}";
        var progress = new ConcurrentQueue<string>();
        var lease = TimeSpan.FromSeconds(15);

        // Act: three workers, each with a store of its own. The first, alone, injects round 1 and is stopped
        // (cancelled: it lets its unit go) the moment it holds a solve unit; the other two start then. (A worker
        // killed outright, whose lease must expire first, is WorkerCliTests' kill -9.)
        using var kill = new CancellationTokenSource();
        var doomed = WorkerAsync("doomed", run, shared.Path, lease, line =>
        {
            progress.Enqueue(line);
            if (line.Contains("doomed.1: leased solve/", StringComparison.Ordinal))
            {
                kill.Cancel();
            }
        }, kill.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => doomed);
        var survivors = new List<Task<RunSummary>> { WorkerAsync("a", run, shared.Path, lease, progress.Enqueue, CancellationToken.None), WorkerAsync("b", run, shared.Path, lease, progress.Enqueue, CancellationToken.None) };
        var summaries = await Task.WhenAll(survivors);

        // Assert: one unit was taken over from the dead worker, and the records equal the uninterrupted run's.
        var takenOver = Assert.Single(progress, l => l.Contains("taken over", StringComparison.Ordinal));
        Assert.Contains("leased solve/", takenOver, StringComparison.Ordinal);
        await using var expected = await SqliteRunStore.OpenReadOnlyAsync(reference.Path);
        await using var actual = await PostgresRunStore.OpenAsync(database.ConnectionString, run, shared.Path);
        Assert.Equal(await RunRecords.DescribeAsync(expected), await RunRecords.DescribeAsync(actual));
        Assert.Equal(0, await actual.PendingCountAsync());
        Assert.All(summaries, s => Assert.Equal(Options.Rounds, s.Rounds));

        // The taken-over attempt wrote to a folder of its second lease; every recorded file exists.
        var unit = System.Text.RegularExpressions.Regex.Match(takenOver, "solve/(r(\\d+)-[^/ ]+)/(\\d+)");
        var redone = Assert.Single(await actual.AttemptsAsync(unit.Groups[1].Value), a => a.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) == unit.Groups[3].Value);
        Assert.True(redone.PatchPath is null || redone.PatchPath.StartsWith($"rounds/{unit.Groups[2].Value}/attempts/{unit.Groups[1].Value}/attempt-{unit.Groups[3].Value}.2/", StringComparison.Ordinal), redone.PatchPath);
        Assert.All(await actual.ArtifactsAsync(), a => Assert.True(Directory.Exists(Path.Combine(shared.Path, a.Path)), a.Path));
        Assert.All((await actual.AttemptsAsync()).Where(a => a.PatchPath is not null), a => Assert.True(File.Exists(Path.Combine(shared.Path, a.PatchPath!)), a.PatchPath));
        Assert.True(File.Exists(Path.Combine(shared.Path, "summary.json")));
    }

    [Fact]
    public async Task WorkAsync_AUnitThatFailsEveryTime_StopsAfterMaxLeasesNamingTheUnitAndItsError()
    {
        // Arrange: a committed round whose bug's files are missing, so its attempts cannot load it.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        using var shared = new TempDirectory();
        var run = $"work-{Guid.NewGuid():N}";
        await using var store = await PostgresRunStore.OpenAsync(database.ConnectionString, run, shared.Path);
        await store.CommitRoundAsync(new RoundRecord(1, """{"strategies":[],"artifacts":["gone"],"scriptSeconds":0,"baselinePassing":1,"durationSeconds":0}""", 0), [new ArtifactRecord("r1-gone", 1, "removal", 1, "rounds/1/bugs/gone", null)]);
        var progress = new ConcurrentQueue<string>();
        var runner = new SelfPlayRunner(SampleEnvironments.Sandboxes, Options with { Rounds = 1 }) { OnProgress = progress.Enqueue };

        // Act
        var error = await Assert.ThrowsAsync<UnitFailedException>(() => runner.WorkAsync(environment, repository, store, store, new WorkerOptions { WorkerId = "w", MaxLeases = 2, Poll = TimeSpan.FromMilliseconds(50) }));

        // Assert: let go at once after the first failure (no wait for the lease), stopped at the second.
        Assert.Matches("unit solve/r1-gone/[12] failed 2 times", error.Message);
        Assert.Matches("^solve/r1-gone/[12]$", error.UnitKey);
        Assert.Contains(progress, l => l.Contains("failed (lease 1 of at most 2), let go for a retry", StringComparison.Ordinal));
        Assert.Empty(await store.AttemptsAsync());
    }

    [Theory]
    [InlineData("r1-escape", "../../../../etc")]
    [InlineData("r1-escape", "/etc")]
    [InlineData("r1-../../x", "rounds/1/bugs/x")]
    public async Task WorkAsync_StoreNamingAPathOutsideTheRun_RefusesItWithoutReadingOrWritingThere(string id, string path)
    {
        // Arrange: a shared store written by someone else names a bug outside the run directory (or an id that climbs).
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        using var shared = new TempDirectory();
        await using var store = await PostgresRunStore.OpenAsync(database.ConnectionString, $"work-{Guid.NewGuid():N}", shared.Path);
        await store.CommitRoundAsync(new RoundRecord(1, """{"strategies":[],"artifacts":["x"],"scriptSeconds":0,"baselinePassing":1,"durationSeconds":0}""", 0), [new ArtifactRecord(id, 1, "removal", 1, path, null)]);
        var runner = new SelfPlayRunner(SampleEnvironments.Sandboxes, Options with { Rounds = 1 });

        // Act
        var error = await Assert.ThrowsAsync<UnitFailedException>(() => runner.WorkAsync(environment, repository, store, store, new WorkerOptions { WorkerId = "w", MaxLeases = 1, Poll = TimeSpan.FromMilliseconds(50) }));

        // Assert
        var refused = Assert.IsType<UnsafePathException>(error.InnerException);
        Assert.Contains("which Sparring refuses to use", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await store.AttemptsAsync());
        Assert.False(Directory.Exists(Path.Combine(shared.Path, "rounds", "1", "attempts")) && Directory.EnumerateFileSystemEntries(Path.Combine(shared.Path, "rounds", "1", "attempts")).Any());
    }

    [Fact]
    public async Task WorkAsync_InvalidWorkerOptions_FailBeforeAnyWork()
    {
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        using var shared = new TempDirectory();
        await using var store = await PostgresRunStore.OpenAsync(database.ConnectionString, $"work-{Guid.NewGuid():N}", shared.Path);
        var runner = new SelfPlayRunner(SampleEnvironments.Sandboxes, Options);

        await Assert.ThrowsAsync<ArgumentException>(() => runner.WorkAsync(environment, repository, store, store, new WorkerOptions { WorkerId = "w", Parallel = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => runner.WorkAsync(environment, repository, store, store, new WorkerOptions { WorkerId = "w", Lease = TimeSpan.FromMilliseconds(10) }));
        Assert.Empty(await store.RoundsAsync());
    }

    private async Task<RunSummary> WorkerAsync(string id, string run, string directory, TimeSpan lease, Action<string> progress, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python), cancellationToken);
        await using var store = await PostgresRunStore.OpenAsync(database.ConnectionString, run, directory, cancellationToken);
        var runner = new SelfPlayRunner(SampleEnvironments.Sandboxes, Options) { OnProgress = progress };
        return await runner.WorkAsync(environment, repository, store, store, new WorkerOptions { WorkerId = id, Lease = lease, Poll = TimeSpan.FromMilliseconds(200) }, cancellationToken);
    }
}
