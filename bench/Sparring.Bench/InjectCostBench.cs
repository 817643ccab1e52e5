using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sparring.Bench;

/// <summary>
/// What a valid artifact costs, as a ratio to the suite it is made from: for each repository, one sandboxed run of
/// its suite (<c>sparring probe --json</c>, its <c>durationMs</c>) and then <c>sparring inject --json</c>; reported
/// are the suite runs per valid artifact and the seconds per valid artifact divided by the suite's seconds.
/// </summary>
internal static class InjectCostBench
{
    public sealed record Row(string Dir, double SuiteSeconds, int Valid, int SuiteRuns, double? RunsPerValid, double? SecondsPerValid, double? Ratio, string Note);

    public static async Task<int> RunAsync(IReadOnlyList<string> repositories, int count, TimeSpan timeout)
    {
        var launcher = ZeroConfigBench.Launcher();
        var scratch = Directory.CreateTempSubdirectory("sparring-inject-cost-").FullName;
        var rows = new List<Row>();
        Console.WriteLine($"load before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| repository | suite s | valid | suite runs | runs/valid | s/valid | s/valid ÷ suite s | note |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        try
        {
            foreach (var dir in repositories.Select(Path.GetFullPath))
            {
                var name = Path.GetFileName(dir.TrimEnd('/'));
                var probe = await ZeroConfigBench.RunAsync(launcher, ["probe", dir, "--json"], timeout);
                var suite = BenchOutput.ParseReport(probe.Stdout)?["durationMs"]?.GetValue<double>() / 1000 ?? double.NaN;
                var inject = await ZeroConfigBench.RunAsync(launcher,
                    ["inject", dir, "--json", "--seed", "1", "--count", count.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(scratch, name)], timeout);
                var row = Judge(name, suite, inject.Exit, inject.Stdout, inject.Stderr);
                rows.Add(row);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {row.Dir} | {row.SuiteSeconds:0.00} | {row.Valid} | {row.SuiteRuns} | {row.RunsPerValid?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"} | {row.SecondsPerValid?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} | {row.Ratio?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} | {row.Note} |"));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        await BenchOutput.WriteResultsAsync("inject-cost", rows);
        return 0;
    }


    private static Row Judge(string name, double suiteSeconds, int exit, string stdout, string stderr)
    {
        if (BenchOutput.ParseReport(stdout)?["strategies"] is not JsonArray strategies)
        {
            return new Row(name, suiteSeconds, 0, 0, null, null, null, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit {exit}");
        }

        var valid = strategies.Sum(s => s!["valid"]!.GetValue<int>());
        var runs = strategies.Sum(s => s!["suiteRuns"]?.GetValue<int>() ?? 0);
        var seconds = strategies.Sum(s => s!["seconds"]!.GetValue<double>());
        return valid == 0
            ? new Row(name, suiteSeconds, 0, runs, null, null, null, "no valid artifact")
            : new Row(name, suiteSeconds, valid, runs, Math.Round((double)runs / valid, 2), Math.Round(seconds / valid, 1), Math.Round(seconds / valid / suiteSeconds, 1), "");
    }
}
