using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Sandboxes.Internal;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Testing.Internal;

namespace Sparring.Bench;

/// <summary>
/// <c>sparring probe DIR --json</c>, the whole process, against the raw suite: the same test command run by bash on
/// the host, outside any sandbox, in a copy of the same prepared tree (its dependencies installed, its caches warm),
/// with the recipe's environment and the sandbox paths in it mapped to host folders. The two alternate, after one
/// warm-up each, and the medians are compared. The probe's own <c>durationMs</c> (the sandboxed run) splits its cost
/// into the sandboxed suite and the fixed cost around it.
/// </summary>
internal static class ProbeCostBench
{
    public sealed record Row(string Dir, string Runner, double RawSeconds, double ProbeSeconds, double SandboxedSeconds, double Ratio, int RawExit, int ProbeExit);

    public static async Task<int> RunAsync(IReadOnlyList<string> repositories, int repeats)
    {
        var launcher = ZeroConfigBench.Launcher();
        var cacheRoot = Environment.GetEnvironmentVariable("SPARRING_CACHE") ?? SparringPaths.DefaultCacheRoot();
        var rows = new List<Row>();
        using var scratch = new TempDirectory("sparring-probe-cost-");
        Console.WriteLine($"load before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| repository | runner | raw suite s | probe s | sandboxed run s | probe ÷ raw |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var dir in repositories.Select(Path.GetFullPath))
        {
            var name = Path.GetFileName(dir.TrimEnd('/'));
            var warm = await ZeroConfigBench.RunAsync(launcher, ["probe", dir, "--json"], TimeSpan.FromMinutes(30));
            if (BenchOutput.ParseReport(warm.Stdout) is null)
            {
                Console.WriteLine($"| {name} | - | - | - | - | probe failed: {warm.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()} |");
                continue;
            }

            var raw = await RawSuiteAsync(dir, cacheRoot, Path.Combine(scratch.Path, name));
            await raw.Run();
            var rawTimes = new List<double>();
            var probeTimes = new List<double>();
            var sandboxed = new List<double>();
            int rawExit = 0, probeExit = 0;
            for (var i = 0; i < repeats; i++)
            {
                var started = Stopwatch.GetTimestamp();
                rawExit = await raw.Run();
                rawTimes.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                started = Stopwatch.GetTimestamp();
                var probe = await ZeroConfigBench.RunAsync(launcher, ["probe", dir, "--json"], TimeSpan.FromMinutes(30));
                probeTimes.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
                probeExit = probe.Exit;
                sandboxed.Add(BenchOutput.ParseReport(probe.Stdout)?["durationMs"]?.GetValue<double>() / 1000 ?? double.NaN);
            }

            var row = new Row(name, raw.Runner, Median(rawTimes), Median(probeTimes), Median(sandboxed), Math.Round(Median(probeTimes) / Median(rawTimes), 2), rawExit, probeExit);
            rows.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Dir} | {row.Runner} | {row.RawSeconds:0.00} | {row.ProbeSeconds:0.00} | {row.SandboxedSeconds:0.00} | {row.Ratio:0.00} |{(row.RawExit == 0 ? "" : $" raw exit {row.RawExit}")}"));
        }

        Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
        await BenchOutput.WriteResultsAsync("probe-cost", rows);
        return 0;
    }

    private sealed record RawSuite(string Runner, Func<Task<int>> Run);

    /// <summary>The prepared tree copied to <paramref name="folder"/> and the test command set to run in it on the host.</summary>
    private static async Task<RawSuite> RawSuiteAsync(string dir, string cacheRoot, string folder)
    {
        var sandboxes = new BubblewrapSandboxProvider();
        var repository = await GitRepository.OpenAsync(dir);
        var snapshot = await new SnapshotStore(cacheRoot).GetOrCreateAsync(repository, await repository.ResolveCommitAsync("HEAD"));
        var plan = TestRunnerDetector.Plan(snapshot.TreePath, EnvironmentSettings.None);
        var environment = await new EnvironmentPreparer(sandboxes, cacheRoot).PrepareAsync(snapshot, plan);
        var tree = Path.Combine(folder, "tree");
        Directory.CreateDirectory(folder);
        await CopyAsync(environment.TreePath, tree);

        // Paths the sandbox mounts, as host folders: caches (a private copy of a per-run one), results, Sparring's reporters.
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cache in plan.Recipe.Caches.Where(c => c.Scope != CacheScope.SetupOnly))
        {
            var host = environment.CacheHostPath(cache);
            if (cache.Scope == CacheScope.CopiedPerRun)
            {
                await CopyAsync(host, host = Path.Combine(folder, "cache-" + cache.Name));
            }

            paths[cache.SandboxPath] = host;
        }

        paths[TestRunnerDetector.ResultsPath] = Directory.CreateDirectory(Path.Combine(folder, "results")).FullName;
        var tools = Directory.CreateDirectory(Path.Combine(folder, "tools")).FullName;
        await NodeReporter.WriteAsync(tools, CancellationToken.None);
        await MochaReporter.WriteAsync(tools, CancellationToken.None);
        paths[NodeReporter.SandboxDirectory] = tools;
        paths["/repo"] = tree;
        paths["/tmp/home"] = Directory.CreateDirectory(Path.Combine(folder, "home")).FullName;
        string Map(string text) => paths.OrderByDescending(p => p.Key.Length).Aggregate(text, (t, p) => t.Replace(p.Key, p.Value, StringComparison.Ordinal));

        // The sandbox's clean environment (its PATH, locale, CI=true), not the caller's.
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in SandboxRequests.BaseEnvironment.Concat(plan.Recipe.Environment).Concat(plan.Recipe.RunEnvironment))
        {
            variables[key] = Map(value);
        }

        var spec = new ProcessSpec
        {
            FileName = "/bin/bash",
            Arguments = ["-c", "exec 2>&1\n" + Map(plan.Command.Command)],
            WorkingDirectory = tree,
            Environment = variables,
            Timeout = TimeSpan.FromMinutes(30),
        };
        return new RawSuite(plan.Runner, async () => (await ProcessRunner.RunAsync(spec, TimeProvider.System, null, CancellationToken.None)).ExitCode);
    }

    private static async Task CopyAsync(string from, string to)
    {
        var copy = await ProcessRunner.RunAsync(new ProcessSpec { FileName = "cp", Arguments = ["-a", from, to] }, TimeProvider.System, null, CancellationToken.None);
        if (copy.ExitCode != 0)
        {
            throw new InvalidOperationException($"cp -a {from} {to}: {copy.Stderr}");
        }
    }


    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
