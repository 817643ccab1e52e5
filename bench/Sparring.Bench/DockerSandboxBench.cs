using Sparring.Sandboxes;

namespace Sparring.Bench;

/// <summary>
/// A command in a Docker sandbox (a container per command) against the same command in a bubblewrap sandbox, over
/// the same workspace: what the Docker backend costs per command.
/// </summary>
internal static class DockerSandboxBench
{
    public static async Task<IReadOnlyList<Comparison>> RunAsync(string image, int iterations)
    {
        using var docker = new DockerSandboxProvider(new DockerSandboxSettings { Image = image });
        if (await docker.CheckAvailableAsync() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var workspace = Directory.CreateTempSubdirectory("sparring-bench-docker-").FullName;
        try
        {
            var options = new SandboxOptions();
            await using var inDocker = await docker.CreateAsync(workspace, options);
            await using var inBubblewrap = await new BubblewrapSandboxProvider().CreateAsync(workspace, options);
            var comparisons = new List<Comparison>();
            foreach (var (name, command) in new[] { ("true", new[] { "/bin/true" }), ("python3 -c pass", new[] { "python3", "-c", "pass" }) })
            {
                var request = new ExecRequest { Command = command };
                comparisons.Add(await Measure.CompareAsync(
                    $"docker / bwrap: {name}",
                    () => inBubblewrap.ExecAsync(request),
                    () => inDocker.ExecAsync(request),
                    iterations,
                    warmup: 3));
            }

            return comparisons;
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
