using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Sparring.Sandboxes;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary>
/// <c>sparring worker</c>: several processes share one run kept in PostgreSQL, over several Docker engines, and the run
/// survives a worker and an engine killed with SIGKILL.
/// </summary>
public sealed class WorkerCliTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(12);

    private static readonly string[] Play = ["--no-install", "--rounds", "2", "--bugs-per-round", "2", "--attempts", "3", "--seed", "11"];

    [Fact]
    public async Task Workers_TwoEnginesThreeWorkersOneOfEachKilled_FinishEveryUnitOnceAsTheUninterruptedRunAndLeaveNoContainer()
    {
        // Arrange: two engines with the image; the uninterrupted run, alone, on the first.
        var image = await DockerEngines.ImageAsync();
        await using var engine = await DockerDaemon.StartAsync();
        await DockerImages.EnsureAsync([DockerSandboxSettings.DefaultHost, engine.Tcp], DockerEngines.Recipe);
        var path = Samples.Path(Samples.Python);
        using var runs = new TempDirectory("sparring-workers-");
        using var temp = new TempDirectory("sparring-workers-tmp-");
        var reference = Path.Combine(runs.Path, "reference");
        var uninterrupted = await CliRunner.RunAsync(["selfplay", path, .. Play, "--out", reference, "--json", "--sandbox", "docker", "--docker-image", image]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);

        var shared = Path.Combine(runs.Path, "shared-" + Guid.NewGuid().ToString("N")[..8]);
        string[] engines = ["--sandbox", "docker", "--docker-image", image, "--docker-host", DockerSandboxSettings.DefaultHost.ToString(), "--docker-host", engine.Tcp.ToString()];
        using var provider = new DockerSandboxProvider(new DockerSandboxSettings { Hosts = [DockerSandboxSettings.DefaultHost, engine.Tcp], Image = image });
        async Task<int> ContainersOfTheRunAsync() => (await provider.ListAsync()).Count(c => c.Container.Labels?.TryGetValue("sparring.run", out var run) == true && run == Commands.SelfplayCommand.RunLabelOf(shared));

        var started = new List<Process>();
        try
        {
            // Act: the run starts (its first worker, with short leases) and two more workers join as soon as it has
            // named its store. The first is killed (kill -9) while it holds a unit (round 1's injection, most likely).
            var doomed = CliProcess.StartCapturing(temp.Path, TestCache.Root, ["selfplay", path, .. Play, "--out", shared, "--store", database.ConnectionString, "--lease", "6", .. engines]);
            var doomedProcess = doomed.Process;
            started.Add(doomedProcess);
            await WaitForAsync(() => Task.FromResult(File.Exists(Path.Combine(shared, RunStores.LocationFile)) || doomedProcess.HasExited), "the run's store.json");
            var run = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(shared, RunStores.LocationFile))).RootElement.GetProperty("run").GetString()!;
            var second = CliProcess.StartCapturing(temp.Path, TestCache.Root, "worker", "--run", shared, "--lease", "6");
            var secondProcess = second.Process;
            started.Add(secondProcess);
            var third = CliProcess.StartCapturing(temp.Path, TestCache.Root, "worker", "--run", shared, "--lease", "6", "--json");
            var thirdProcess = third.Process;
            started.Add(thirdProcess);
            await WaitForAsync(async () => await HeldAsync(run, doomedProcess.Id, "%") || doomedProcess.HasExited, "the first worker holding a unit");
            if (doomedProcess.HasExited)
            {
                Assert.Fail($"the first worker ended before it was killed: exit {doomedProcess.ExitCode}: {await doomed.Stderr}");
            }

            doomedProcess.Kill();
            await doomedProcess.WaitForExitAsync();

            // kill -9 of the second engine while it runs a container of the run; it comes back a little later.
            bool OfALiveWorker(IDictionary<string, string>? labels) =>
                labels is not null && labels.TryGetValue("sparring.run", out var label) && label == Commands.SelfplayCommand.RunLabelOf(shared) && labels.TryGetValue("sparring.owner", out var owner)
                && (owner.Contains($"/{secondProcess.Id}-", StringComparison.Ordinal) || owner.Contains($"/{thirdProcess.Id}-", StringComparison.Ordinal));
            await WaitForAsync(async () => (await provider.ListAsync()).Any(c => c.Host == engine.Tcp && OfALiveWorker(c.Container.Labels)) || thirdProcess.HasExited, "a live worker's container on the second engine");
            var engineKilledMidRun = !thirdProcess.HasExited;
            engine.Kill();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await engine.RestartAsync();

            using var bound = new CancellationTokenSource(Bound);
            await Task.WhenAll(secondProcess.WaitForExitAsync(bound.Token), thirdProcess.WaitForExitAsync(bound.Token));

            // Assert: both survivors finished the run; every unit is done once, one of them after a takeover; the
            // records equal the uninterrupted run's; no container of the run is left on either engine.
            Assert.True(engineKilledMidRun, "the run ended before the second engine was killed");
            Assert.True(secondProcess.ExitCode == 0, await second.Stderr);
            Assert.True(thirdProcess.ExitCode == 0, await third.Stderr);
            var stderr = await second.Stderr + await third.Stderr;
            Assert.Contains("taken over", stderr, StringComparison.Ordinal);
            var (units, pending, takenOver) = await UnitsAsync(run);
            Assert.Equal(0, pending);
            Assert.True(takenOver >= 1, stderr);
            await using var expected = await RunStores.OpenReadOnlyAsync(reference);
            await using var actual = await RunStores.OpenReadOnlyAsync(shared);
            var records = await RunRecords.DescribeAsync(actual);
            Assert.Equal(await RunRecords.DescribeAsync(expected), records);
            Assert.Equal(units, records.Split('\n').Count(l => l.StartsWith("round ", StringComparison.Ordinal) || l.StartsWith("attempt ", StringComparison.Ordinal) || l.StartsWith("reward ", StringComparison.Ordinal)));
            using var summary = JsonDocument.Parse(await third.Stdout);
            Assert.Equal(2, summary.RootElement.GetProperty("rounds").GetInt32());
            Assert.Equal(0, await ContainersOfTheRunAsync());
        }
        finally
        {
            // A failed assertion must not leave workers (and their containers) running.
            foreach (var process in started)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }

    [Fact]
    public async Task Worker_OnARunInSqliteOrNoRun_IsAClearErrorAndChangesNothing()
    {
        // Arrange: a finished SQLite run.
        using var runs = new TempDirectory("sparring-worker-sqlite-");
        var directory = Path.Combine(runs.Path, "run");
        var played = await CliRunner.RunAsync("selfplay", Samples.Path(Samples.Python), "--no-install", "--rounds", "1", "--bugs-per-round", "1", "--attempts", "1", "--out", directory);
        Assert.Equal(0, played.ExitCode);
        var database = await File.ReadAllBytesAsync(Path.Combine(directory, SqliteRunStore.DatabaseFile));

        // Act
        var onSqlite = await CliRunner.RunAsync("worker", "--run", directory);
        var onNothing = await CliRunner.RunAsync("worker", "--run", Path.Combine(runs.Path, "missing"));

        // Assert
        Assert.Equal(2, onSqlite.ExitCode);
        Assert.Contains("holds a run in SQLite", onSqlite.Stderr, StringComparison.Ordinal);
        Assert.Equal(database, await File.ReadAllBytesAsync(Path.Combine(directory, SqliteRunStore.DatabaseFile)));
        Assert.Equal(2, onNothing.ExitCode);
        Assert.Contains("holds no run to work on", onNothing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_RunWhoseStoreDoesNotAnswer_IsAnEnvironmentErrorSayingWhatToCheck()
    {
        // Arrange: a run directory naming a PostgreSQL server that is not there.
        using var runs = new TempDirectory("sparring-worker-nopg-");
        await File.WriteAllTextAsync(Path.Combine(runs.Path, RunStores.LocationFile), """{"kind":"postgresql","connection":"Host=127.0.0.1;Port=1;Database=x;Username=u","run":"r1"}""");

        // Act
        var outcome = await CliRunner.RunAsync("worker", "--run", runs.Path);

        // Assert
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("the PostgreSQL run store cannot be reached: Failed to connect to 127.0.0.1:1", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("store.json", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", outcome.Stderr, StringComparison.Ordinal);
    }

    /// <summary>True when the process's worker holds an unfinished unit whose key is like <paramref name="pattern"/>.</summary>
    private async Task<bool> HeldAsync(string run, int processId, string pattern)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM sparring.units WHERE run = $1 AND done IS NULL AND lease_until > clock_timestamp() AND worker LIKE $2 AND key LIKE $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        command.Parameters.Add(new NpgsqlParameter { Value = $"%/{processId}-%" });
        command.Parameters.Add(new NpgsqlParameter { Value = pattern });
        try
        {
            return (long)(await command.ExecuteScalarAsync())! > 0;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // store.json is written first, then the schema made.
            return false;
        }
    }

    /// <summary>The run's units: how many, how many not done, how many were leased more than once.</summary>
    private async Task<(int Units, int Pending, int TakenOver)> UnitsAsync(string run)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), count(*) FILTER (WHERE done IS NULL), count(*) FILTER (WHERE leases > 1) FROM sparring.units WHERE run = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = run });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Bound, $"waited {Bound} for {what}");
            await Task.Delay(200);
        }
    }
}
