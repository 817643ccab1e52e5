using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Llm;
using Sparring.Repos;
using Sparring.Runs;
using Sparring.Sandboxes;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Testing;

namespace Sparring.Bench;

/// <summary>
/// The staged dispatcher (prepare → solve → grade, overlapping) against a naive batch ("prepare all, then generate
/// all, then grade all") on the same workload: solver attempts on the Python sample's bug, each one model call to the
/// scripted server with a set latency (a repair and a submit in one turn), then a real grading run.
/// </summary>
internal static class DispatcherBench
{
    public static async Task<Comparison> RunAsync(int attempts, int repeats)
    {
        var sandboxes = new BubblewrapSandboxProvider();
        var cache = Path.Combine(Samples.RepositoryRoot, "artifacts", "bench-cache");
        var repository = await GitRepository.OpenAsync(Samples.Path(Samples.Python));
        var snapshot = await new SnapshotStore(cache).GetOrCreateAsync(repository, await repository.ResolveCommitAsync("HEAD"));
        var environment = await new EnvironmentPreparer(sandboxes, cache).PrepareAsync(snapshot, TestRunnerDetector.Detect(snapshot.TreePath));
        var artifact = SampleArtifacts.For(Samples.Python);
        var repair = JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = $"git apply -R <<'EOF'\n{artifact.BugInjectDiff}EOF" });

        // Model latencies 0.5–3.5 s, the same multiset in every run: a slow generation holds up a naive batch.
        var random = new Random(7);
        var latencies = Enumerable.Range(0, attempts).Select(_ => TimeSpan.FromMilliseconds(500 + random.Next(3000))).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  model latencies {latencies.Min().TotalSeconds:0.0}-{latencies.Max().TotalSeconds:0.0} s: no schedule ends before the slowest generation plus its grading run"));
        var stages = new StageOptions { Prepare = 2, Solve = attempts, Grade = 2, QueueCapacity = attempts };
        var naive = new List<double>();
        var staged = new List<double>();
        using var scratch = new TempDirectory("sparring-bench-dispatch-");
        for (var r = 0; r < repeats; r++)
        {
            foreach (var mode in new[] { "naive", "staged" })
            {
                await using var server = await ScriptedModelServer.StartAsync();
                server.Enqueue([.. latencies.Select(l => ScriptedReply.ToolCalls(("bash", repair), ("submit", "{}")).After(l))]);
                using var client = ModelClients.Create(new ModelClientOptions { Endpoint = server.Endpoint, Model = server.Model });
                var agent = new SolverAgent(sandboxes, client, new AgentRoleOptions { Agent = new AgentOptions { MaxTurns = 2 } });
                var directory = Path.Combine(scratch.Path, $"{mode}-{r}");
                var started = Stopwatch.GetTimestamp();
                var solved = mode == "naive"
                    ? await NaiveAsync(agent, environment, artifact, attempts, directory, stages)
                    : await StagedAsync(agent, environment, artifact, attempts, directory, stages);
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                (mode == "naive" ? naive : staged).Add(seconds * 1000);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {mode,-6} run {r + 1}: {seconds:0.0} s, {solved}/{attempts} solved"));
            }
        }

        return new Comparison($"staged dispatcher vs naive batch ({attempts} attempts)", Median(naive), Median(staged), staged.Max(), repeats);
    }

    private static async Task<int> NaiveAsync(SolverAgent agent, PreparedEnvironment environment, BugArtifact artifact, int attempts, string directory, StageOptions stages)
    {
        var episodes = new SolverEpisode[attempts];
        await Parallel.ForEachAsync(Enumerable.Range(0, attempts), new ParallelOptions { MaxDegreeOfParallelism = stages.Prepare }, async (i, ct) =>
            episodes[i] = await agent.PrepareAsync(environment, artifact, i + 1, Path.Combine(directory, $"attempt-{i + 1}"), ct));
        await Parallel.ForEachAsync(episodes, new ParallelOptions { MaxDegreeOfParallelism = stages.Solve }, async (e, ct) => await agent.RunEpisodeAsync(e, ct));
        var solved = 0;
        await Parallel.ForEachAsync(episodes, new ParallelOptions { MaxDegreeOfParallelism = stages.Grade }, async (e, ct) =>
        {
            if ((await agent.GradeAsync(e, ct)).Solved)
            {
                Interlocked.Increment(ref solved);
            }
        });
        return solved;
    }

    private static async Task<int> StagedAsync(SolverAgent agent, PreparedEnvironment environment, BugArtifact artifact, int attempts, string directory, StageOptions stages)
    {
        var solved = 0;
        var dispatcher = new StagedDispatcher(stages);
        await StagedDispatcher.RunAllAsync(
            Enumerable.Range(1, attempts).ToList(),
            async (i, ct) =>
            {
                if ((await dispatcher.AttemptAsync(agent, environment, artifact, i, Path.Combine(directory, $"attempt-{i}"), ct)).Solved)
                {
                    Interlocked.Increment(ref solved);
                }
            });
        return solved;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
