// Per-command cost of the bubblewrap sandbox, for comparing two source trees with the same program
// (bench/sandbox-cost.sh OLD_TREE NEW_TREE). Uses only the public API both trees have.
using System.Diagnostics;
using System.Globalization;
using Sparring.Repos;
using Sparring.Sandboxes;

var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var sourceTree = args.Length > 2 ? args[2] : Environment.CurrentDirectory;
var scratch = Directory.CreateTempSubdirectory("sparring-cost-").FullName;
try
{
    var provider = new BubblewrapSandboxProvider();
    var plain = Directory.CreateDirectory(Path.Combine(scratch, "plain")).FullName;
    await using var workspace = await Workspace.CreateAsync(sourceTree, Path.Combine(scratch, "workspaces"));
    var cases = new (string Name, Func<Task> Run)[]
    {
        ("true, limits (cgroup)", Exec(await provider.CreateAsync(plain, new SandboxOptions()), "/bin/true")),
        ("true, no limits", Exec(await provider.CreateAsync(plain, new SandboxOptions { MemoryLimitBytes = null, MaxProcesses = null }), "/bin/true")),
        ("append to a workspace file, limits", Exec(await provider.CreateAsync(workspace.TreePath, new SandboxOptions()), "/bin/sh", "-c", "echo x >> written.txt")),
        ("Workspace.CreateAsync + dispose", async () => await (await Workspace.CreateAsync(sourceTree, Path.Combine(scratch, "more"))).DisposeAsync()),
    };
    foreach (var (name, run) in cases)
    {
        for (var i = 0; i < 3; i++)
        {
            await run();
        }

        var medians = new List<double>();
        var cpu = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var times = new List<double>();
            var cpuBefore = CpuMilliseconds();
            for (var i = 0; i < iterations; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await run();
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            cpu.Add((CpuMilliseconds() - cpuBefore) / iterations);
            times.Sort();
            medians.Add(times[times.Count / 2]);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-36} wall medians of {iterations}: {Join(medians)} | CPU per command (ours + children): {Join(cpu)}"));
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

// CPU time of this process and of its reaped children (bwrap, and through it the command): user + system, from
// /proc/self/stat (fields 14-17, clock ticks of 10 ms). Less disturbed by other load than wall time.
static double CpuMilliseconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return fields.Skip(11).Take(4).Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) * 10.0;
}

static string Join(IEnumerable<double> values) =>
    string.Join(" ", values.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5) + " ms"));

static Func<Task> Exec(ISandbox sandbox, params string[] command) => async () =>
{
    var result = await sandbox.ExecAsync(new ExecRequest { Command = command });
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"exit {result.ExitCode}: {result.Stderr}");
    }
};
