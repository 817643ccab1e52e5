using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sparring.Bench;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;

// Sparring benchmarks. Every number is a ratio against a baseline measured in this same run:
//   sandbox   — a sandboxed `true` (cgroup + bwrap + tear-down) against a plain process start of `true`;
//   workspace — Workspace.CreateAsync of each sample's prepared tree against `cp -a` of the same tree.
//   dispatcher — the staged dispatcher against a naive "generate all, then run all" batch (bench/run.sh dispatcher [attempts] [repeats]).
//   zero-config — `sparring probe DIR --json` with no options on every repository of a folder, counts against FOLDER/native.json;
//   inject-yield — `sparring inject DIR --json` with a small budget on every repository of a folder, yields per strategy;
//   inject-cost — suite runs and seconds per valid artifact against one sandboxed run of the same suite (probe), per repository;
//   probe-cost — `sparring probe DIR --json`, the whole process, against the same suite run by bash on the host in the prepared tree;
//   agent-step — an agent step (bash true, a file view) against a bare call to the same scripted model: the harness's time per step;
//   episodes-memory — N concurrent agent episodes (default 1000) against one slow scripted model: peak working set and heap over the process before;
//   docker-sandbox — a command in a Docker sandbox (a container per command) against the same in bubblewrap;
//   repo-images — each sample's image per repository and commit, built cold and again cached.
// Usage: bench/run.sh [iterations] | bench/run.sh dispatcher [attempts] [repeats] | bench/run.sh zero-config FOLDER [timeout-minutes]
//        | bench/run.sh inject-yield FOLDER [count] [max-candidates] [timeout-minutes] | bench/run.sh inject-cost COUNT REPO...
//        | bench/run.sh agent-step [steps] [repeats] | bench/run.sh episodes-memory [episodes] [model-latency-ms] [docker-image] | bench/run.sh probe-cost REPEATS REPO...
//        | bench/run.sh docker-sandbox IMAGE [iterations] | bench/run.sh repo-images BASE-IMAGE [sample...]
if (args.Length > 1 && args[0] == "zero-config")
{
    var minutes = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20;
    return await ZeroConfigBench.RunAsync(args[1], TimeSpan.FromMinutes(minutes));
}

if (args.Length > 1 && args[0] == "inject-yield")
{
    var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    var candidates = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
    var minutes = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 20;
    return await InjectYieldBench.RunAsync(args[1], count, candidates, TimeSpan.FromMinutes(minutes));
}

if (args.Length > 2 && args[0] == "inject-cost")
{
    return await InjectCostBench.RunAsync(args[2..], int.Parse(args[1], CultureInfo.InvariantCulture), TimeSpan.FromMinutes(30));
}

if (args.Length > 2 && args[0] == "probe-cost")
{
    return await ProbeCostBench.RunAsync(args[2..], int.Parse(args[1], CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == "agent-step")
{
    var steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
    var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
    foreach (var (journalled, rewriting, toolAlone) in await AgentStepBench.RunAsync(steps, repeats))
    {
        foreach (var comparison in new[] { journalled, rewriting })
        {
            Console.WriteLine(comparison);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    harness per step: {comparison.SubjectMedianMs - comparison.BaselineMedianMs:0.0} ms; less the tool alone ({toolAlone:0.0} ms): {comparison.SubjectMedianMs - comparison.BaselineMedianMs - toolAlone:0.0} ms"));
        }
    }

    return 0;
}

if (args.Length > 0 && args[0] == "episodes-memory")
{
    var episodes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
    var latency = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
    return await EpisodesMemoryBench.RunAsync(episodes, TimeSpan.FromMilliseconds(latency), args.Length > 3 ? args[3] : null);
}

if (args.Length > 1 && args[0] == "repo-images")
{
    await RepositoryImageBench.RunAsync(args[1], args.Length > 2 ? args[2..] : [Sparring.TestUtilities.Samples.Python, Sparring.TestUtilities.Samples.Go, Sparring.TestUtilities.Samples.JavaScript, Sparring.TestUtilities.Samples.CSharp]);
    return 0;
}

if (args.Length > 1 && args[0] == "docker-sandbox")
{
    var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
    foreach (var comparison in await DockerSandboxBench.RunAsync(args[1], count))
    {
        Console.WriteLine(comparison);
    }

    return 0;
}

if (args.Length > 0 && args[0] == "dispatcher")
{
    var attempts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
    var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
    var comparison = await DispatcherBench.RunAsync(attempts, repeats);
    Console.WriteLine(comparison);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"naive / staged = {1 / comparison.Ratio:0.00}x"));
    return 0;
}

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var results = new List<Comparison>();
var scratch = Directory.CreateTempSubdirectory("sparring-bench-").FullName;
try
{
    var provider = new BubblewrapSandboxProvider();
    Console.WriteLine($"sandbox limits enforced: {(provider.LimitsWarning is null ? "yes (cgroups)" : "no: " + provider.LimitsWarning)}");
    var workspace = Directory.CreateDirectory(Path.Combine(scratch, "ws")).FullName;
    await using var sandbox = await provider.CreateAsync(workspace, new SandboxOptions());
    await using var noLimits = await provider.CreateAsync(workspace, new SandboxOptions { MemoryLimitBytes = null, MaxProcesses = null });
    var plain = new ProcessSpec { FileName = "/bin/true" };
    var request = new ExecRequest { Command = ["/bin/true"] };

    results.Add(await Measure.CompareAsync(
        "sandboxed true (bwrap + cgroup limits)",
        () => ProcessRunner.RunAsync(plain, TimeProvider.System, null, CancellationToken.None),
        () => sandbox.ExecAsync(request),
        iterations));
    var rawBwrap = new ProcessSpec
    {
        FileName = "/usr/bin/bwrap",
        Arguments = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", workspace, "/repo", "--remount-ro", "/", "--chdir", "/repo", "--clearenv", "--", "/bin/true"],
    };
    results.Add(await Measure.CompareAsync(
        "plain bwrap true (no wrapper, same harness)",
        () => ProcessRunner.RunAsync(plain, TimeProvider.System, null, CancellationToken.None),
        () => ProcessRunner.RunAsync(rawBwrap, TimeProvider.System, null, CancellationToken.None),
        iterations));
    results.Add(await Measure.CompareAsync(
        "sandboxed true (bwrap only, no limits)",
        () => ProcessRunner.RunAsync(plain, TimeProvider.System, null, CancellationToken.None),
        () => noLimits.ExecAsync(request),
        iterations));

    var cacheRoot = Environment.GetEnvironmentVariable("SPARRING_CACHE") ?? SparringPaths.DefaultCacheRoot();
    // snapshots/<repo>/<commit>/env-<hash>/tree: listed level by level, as other processes may be changing the cache.
    var snapshots = Path.Combine(cacheRoot, "snapshots");
    var trees = Directory.Exists(snapshots)
        ? Directory.EnumerateDirectories(snapshots)
            .SelectMany(repo => Directory.EnumerateDirectories(repo))
            .SelectMany(commit => Directory.EnumerateDirectories(commit, "env-*"))
            .Select(env => Path.Combine(env, "tree"))
            .Where(Directory.Exists)
            .ToList()
        : [];
    if (trees.Count == 0)
    {
        Console.WriteLine("no prepared trees in the cache: run ./sparring probe samples/<name> first to benchmark workspaces");
    }

    foreach (var tree in trees.Take(8))
    {
        var label = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(tree)!)!)!);
        var shared = Directory.Exists(Path.Combine(tree, "node_modules")) ? new[] { "node_modules" } : [];
        int files;
        try
        {
            files = Directory.GetFiles(tree, "*", SearchOption.AllDirectories).Length;
        }
        catch (IOException)
        {
            continue; // Another process is replacing this environment.
        }

        var n = 0;
        results.Add(await Measure.CompareAsync(
            $"workspace {label} ({files} files)",
            async () =>
            {
                var target = Path.Combine(scratch, $"cp-{n++}");
                await RunAsync("cp", "-a", tree, target);
                await RunAsync("rm", "-rf", target);
            },
            async () =>
            {
                var ws = await Workspace.CreateAsync(tree, Path.Combine(scratch, "workspaces"), shared);
                await ws.DisposeAsync();
            },
            Math.Max(10, iterations / 5)));
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

foreach (var result in results)
{
    Console.WriteLine(result);
}

var outDir = Path.Combine(AppContext.BaseDirectory, "results");
Directory.CreateDirectory(outDir);
var file = Path.Combine(outDir, "latest.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(results.Select(r => new { r.Name, r.BaselineMedianMs, r.SubjectMedianMs, r.SubjectP90Ms, r.Ratio, r.Iterations })));
Console.WriteLine($"written {file}");
return 0;

static async Task RunAsync(string program, params string[] arguments)
{
    var psi = new ProcessStartInfo(program);
    foreach (var argument in arguments)
    {
        psi.ArgumentList.Add(argument);
    }

    using var process = Process.Start(psi)!;
    await process.WaitForExitAsync();
}
