using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Bench;

/// <summary>
/// The image per repository and commit of each bundled sample: built cold (the image removed first; the prepared
/// environment is the cached one, so this is the image's own cost) and again cached, on the local engine.
/// </summary>
internal static class RepositoryImageBench
{
    public static async Task RunAsync(string baseImage, IReadOnlyList<string> samples)
    {
        var sandboxes = new BubblewrapSandboxProvider();
        var cache = Path.Combine(Samples.RepositoryRoot, "artifacts", "bench-cache");
        using var client = new DockerClientBuilder().WithEndpoint(DockerSandboxSettings.DefaultHost).Build();
        foreach (var sample in samples)
        {
            var repository = await GitRepository.OpenAsync(Samples.Path(sample));
            var snapshot = await new SnapshotStore(cache).GetOrCreateAsync(repository, await repository.ResolveCommitAsync("HEAD"));
            var clock = Stopwatch.StartNew();
            var environment = await new EnvironmentPreparer(sandboxes, cache).PrepareAsync(snapshot, TestRunnerDetector.Detect(snapshot.TreePath));
            var preparing = clock.Elapsed.TotalSeconds;
            var reference = RepositoryImages.ReferenceOf(environment, baseImage);
            try
            {
                await client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
            }
            catch (DockerImageNotFoundException)
            {
                // Cold already.
            }

            var cold = await RepositoryImages.EnsureAsync([DockerSandboxSettings.DefaultHost], baseImage, environment);
            var cached = await RepositoryImages.EnsureAsync([DockerSandboxSettings.DefaultHost], baseImage, environment);
            var size = (await client.Images.InspectImageAsync(reference)).Size - (await client.Images.InspectImageAsync(baseImage)).Size;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{sample}: {reference}: cold {cold.Seconds:0.00} s (built: {cold.Built}), cached {cached.Seconds:0.00} s (built: {cached.Built}); layer {size / (1024 * 1024)} MiB; environment {(environment.Reused ? "reused" : "prepared")} in {preparing:0.0} s"));
        }
    }
}
