using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sparring.Bench;

/// <summary>
/// Injection as a new user meets it: <c>sparring inject DIR --json</c> with no environment options on every git
/// repository in a folder, the same small budget each (<c>--count</c>, <c>--max-candidates</c>), the yield of
/// every strategy recorded. The question it answers: on how many repositories does <c>inject</c> make at least
/// one valid artifact, and which strategies make them.
/// </summary>
internal static class InjectYieldBench
{
    public sealed record StrategyRow(string Strategy, int Tried, int Valid, IReadOnlyDictionary<string, int> Rejected);

    public sealed record Row(string Dir, string Language, int Exit, int Valid, IReadOnlyList<StrategyRow> Strategies, double Seconds, string Note);

    public static async Task<int> RunAsync(string folder, int count, int maxCandidates, TimeSpan timeout)
    {
        folder = Path.GetFullPath(folder);
        var launcher = ZeroConfigBench.Launcher();
        var scratch = Directory.CreateTempSubdirectory("sparring-inject-yield-").FullName;
        var rows = new List<Row>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inject --count {count} --max-candidates {maxCandidates}, timeout {timeout.TotalMinutes:0} min per repository"));
        Console.WriteLine("| repository | valid | removal | mutation | history | combine | seconds | note |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        try
        {
            foreach (var dir in ZeroConfigBench.Repositories(folder))
            {
                var name = Path.GetFileName(dir);
                var started = Stopwatch.GetTimestamp();
                var (exit, stdout, stderr) = await ZeroConfigBench.RunAsync(launcher,
                    ["inject", dir, "--json", "--count", count.ToString(CultureInfo.InvariantCulture), "--max-candidates", maxCandidates.ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(scratch, name)],
                    timeout);
                var row = Judge(name, exit, stdout, stderr, Stopwatch.GetElapsedTime(started).TotalSeconds);
                rows.Add(row);
                Console.WriteLine(Markdown(row));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        Console.WriteLine();
        foreach (var group in rows.GroupBy(r => r.Language).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(Summary(group.Key, group.ToList()));
        }

        Console.WriteLine(Summary("all", rows));
        foreach (var strategy in rows.SelectMany(r => r.Strategies).GroupBy(s => s.Strategy))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{strategy.Key}: {strategy.Sum(s => s.Valid)} valid of {strategy.Sum(s => s.Tried)} tried; rejected: {string.Join(", ", strategy.SelectMany(s => s.Rejected).GroupBy(r => r.Key).OrderByDescending(r => r.Sum(x => x.Value)).Select(r => $"{r.Key} {r.Sum(x => x.Value)}"))}"));
        }

        await BenchOutput.WriteResultsAsync("inject-yield", rows);
        return 0;
    }

    private static string Summary(string label, List<Row> rows) => string.Create(CultureInfo.InvariantCulture,
        $"{label}: at least one valid artifact on {rows.Count(r => r.Valid > 0)} of {rows.Count} repositories ({(rows.Count == 0 ? 0 : 100.0 * rows.Count(r => r.Valid > 0) / rows.Count):0}%)");

    private static Row Judge(string name, int exit, string stdout, string stderr, double seconds)
    {
        var language = name.Split('-')[0];
        JsonNode? report = null;
        try
        {
            report = stdout.Trim().Length > 0 ? JsonNode.Parse(stdout) : null;
        }
        catch (JsonException)
        {
        }

        if (report?["strategies"] is not JsonArray strategies)
        {
            var error = report?["error"]?.GetValue<string>() ?? stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit {exit}";
            return new Row(name, language, exit, 0, [], seconds, error);
        }

        var rows = strategies.Select(s => new StrategyRow(
            s!["strategy"]!.GetValue<string>(),
            s["tried"]!.GetValue<int>(),
            s["valid"]!.GetValue<int>(),
            s["rejected"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()))).ToList();
        return new Row(name, language, exit, rows.Sum(r => r.Valid), rows, seconds, report["problem"]?.GetValue<string>() ?? "");
    }

    private static string Markdown(Row row)
    {
        string Cell(string strategy) => row.Strategies.FirstOrDefault(s => s.Strategy == strategy) is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Valid}/{s.Tried}")
            : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {row.Dir} | {row.Valid} | {Cell("removal")} | {Cell("mutation")} | {Cell("history")} | {Cell("combine")} | {row.Seconds:0} | {row.Note.Replace('|', '/').Replace('\n', ' ')} |");
    }
}
