using System.Text.Json;
using Sparring.Store;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary><c>selfplay --store</c>: a run kept in PostgreSQL, resumed and exported through the <c>store.json</c> it leaves.</summary>
public sealed class SelfplayStoreTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Selfplay_WithPostgresStore_RunsResumesAndExportsFromIt()
    {
        // Arrange
        using var runs = new TempDirectory("sparring-pg-selfplay-");
        var directory = Path.Combine(runs.Path, "run");
        var path = Samples.Path(Samples.Python);

        // Act
        var first = await CliRunner.RunAsync("selfplay", path, "--no-install", "--rounds", "1", "--bugs-per-round", "1", "--attempts", "2", "--out", directory, "--store", database.ConnectionString, "--json");
        var resumed = await CliRunner.RunAsync("selfplay", "--resume", directory, "--json");
        var exported = await CliRunner.RunAsync("export", directory, "--format", "swebench", "--out", Path.Combine(runs.Path, "swebench"));

        // Assert: the run lives in PostgreSQL (no run.db), named by store.json without secrets; resuming finds it and
        // has nothing left to do; the export reads it.
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.False(File.Exists(Path.Combine(directory, SqliteRunStore.DatabaseFile)));
        var location = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, RunStores.LocationFile))).RootElement;
        Assert.Equal("postgresql", location.GetProperty("kind").GetString());
        Assert.DoesNotContain("Password", location.GetProperty("connection").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("run-", location.GetProperty("run").GetString(), StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        using var before = JsonDocument.Parse(first.Stdout);
        using var after = JsonDocument.Parse(resumed.Stdout);
        Assert.Equal(1, before.RootElement.GetProperty("valid").GetInt32());
        Assert.Equal(before.RootElement.GetProperty("attempts").GetInt32(), after.RootElement.GetProperty("attempts").GetInt32());
        Assert.Equal(before.RootElement.GetProperty("valid").GetInt32(), after.RootElement.GetProperty("valid").GetInt32());
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(runs.Path, "swebench"), "*.jsonl", SearchOption.AllDirectories));
        await using var store = await RunStores.OpenReadOnlyAsync(directory);
        Assert.Equal(2, (await store.AttemptsAsync()).Count);
    }

    [Fact]
    public async Task Selfplay_MalformedStore_IsAUsageErrorAndLeavesNoRun()
    {
        // Arrange
        using var runs = new TempDirectory("sparring-pg-bad-");
        var directory = Path.Combine(runs.Path, "run");

        // Act
        var outcome = await CliRunner.RunAsync("selfplay", Samples.Path(Samples.Python), "--no-install", "--rounds", "1", "--out", directory, "--store", "postgresql://host:notaport/db");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.False(RunStores.Exists(directory));
    }
}
