using Docker.DotNet;
using Docker.DotNet.Models;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Testing;

/// <summary>Images per repository and commit: the prepared tree baked in, runnable with no network and no bind.</summary>
public sealed class RepositoryImagesTests
{
    private static readonly Uri[] Hosts = [DockerSandboxSettings.DefaultHost];

    [Fact]
    public async Task EnsureAsync_PythonSample_BuildsOnceAndItsSuiteRunsInTheImageAloneWithoutNetwork()
    {
        // Arrange
        var baseImage = await DockerEngines.ImageAsync();
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        using var client = new DockerClientBuilder().WithEndpoint(DockerSandboxSettings.DefaultHost).Build();
        var reference = RepositoryImages.ReferenceOf(environment, baseImage);
        await DeleteAsync(client, reference);

        try
        {
            // Act
            var first = await RepositoryImages.EnsureAsync(Hosts, baseImage, environment);
            var again = await RepositoryImages.EnsureAsync(Hosts, baseImage, environment);
            var (exit, output) = await RunAsync(client, first.Reference, "python3 -m pytest -q -p no:cacheprovider > /tmp/out 2>&1; status=$?; tail -3 /tmp/out; ls /repo; exit $status");

            // Assert: named by repository and commit, built once, labelled, and the suite passes from the image alone.
            Assert.Equal(reference, first.Reference);
            Assert.StartsWith($"sparring-repo:py-inventory-{environment.Snapshot.Commit[..12]}-", first.Reference, StringComparison.Ordinal);
            Assert.True(first.Built);
            Assert.False(again.Built);
            Assert.Equal(first.Reference, again.Reference);
            Assert.Equal(0, exit);
            Assert.Matches(@"91 passed, 1 skipped", output);
            Assert.Contains("inventory", output, StringComparison.Ordinal);
            var config = (await client.Images.InspectImageAsync(first.Reference)).Config!;
            var labels = config.Labels!;
            Assert.Equal(environment.Snapshot.Commit, labels["sparring.commit"]);
            Assert.Equal("layer", labels["sparring.image"]);
            Assert.Equal("/repo", config.WorkingDir);
            Assert.Contains(await DockerImages.ListAsync(Hosts), i => i.Image.RepoTags?.Contains(first.Reference) == true);
        }
        finally
        {
            await DeleteAsync(client, reference);
        }
    }

    [Fact]
    public async Task ReferenceOf_OtherBaseOrCommand_IsAnotherImage()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);

        // Act
        var one = RepositoryImages.ReferenceOf(environment, "sparring-base:a");
        var otherBase = RepositoryImages.ReferenceOf(environment, "sparring-base:b");
        var otherCommand = RepositoryImages.ReferenceOf(environment with { Plan = environment.Plan with { Command = environment.Plan.Command with { Command = "pytest -x" } } }, "sparring-base:a");

        // Assert
        Assert.Equal(one, RepositoryImages.ReferenceOf(environment, "sparring-base:a"));
        Assert.NotEqual(one, otherBase);
        Assert.NotEqual(one, otherCommand);
        Assert.Matches("^sparring-repo:[a-z0-9._-]+$", one);
    }

    [Fact]
    public async Task EnsureLayerAsync_HostileTree_SymlinksOutStayLinksAndQuotedNamesLandWhereSaid()
    {
        // Arrange: a tree (as a repository could hold) with a link to a host file outside it, a link to another
        // bound folder, and a file whose name is shell syntax; the image path itself has a quote and a $(...).
        var baseImage = await DockerEngines.ImageAsync();
        using var host = new TempDirectory("sparring-layer-redteam-");
        var secret = Path.Combine(host.Path, "secret.txt");
        await File.WriteAllTextAsync(secret, "host-secret");
        var tree = Directory.CreateDirectory(Path.Combine(host.Path, "tree")).FullName;
        File.CreateSymbolicLink(Path.Combine(tree, "leak"), secret);
        File.CreateSymbolicLink(Path.Combine(tree, "layer"), "/sparring-layer/1");
        await File.WriteAllTextAsync(Path.Combine(tree, "$(touch pwned); x"), "plain");
        var other = Directory.CreateDirectory(Path.Combine(host.Path, "other")).FullName;
        await File.WriteAllTextAsync(Path.Combine(other, "o.txt"), "other");
        var reference = $"sparring-repo:redteam-{Guid.NewGuid():N}";
        using var client = new DockerClientBuilder().WithEndpoint(DockerSandboxSettings.DefaultHost).Build();

        try
        {
            // Act
            await DockerImages.EnsureLayerAsync(Hosts, reference, baseImage, [(tree, "/it's $(id)"), (other, "/other")], new Dictionary<string, string>(), "/", new Dictionary<string, string>());
            var (exit, output) = await RunAsync(client, reference, """cd "/it's \$(id)" && readlink leak; cat leak || echo no-leak; cat layer/o.txt || echo no-layer; cat '$(touch pwned); x'; echo; find / -xdev -name pwned 2>/dev/null | wc -l; ls /sparring-layer 2>&1 | head -1""");

            // Assert: links were copied as links (the host file's content is not in the image, nor the build's binds),
            // the odd name is a file of that name, nothing ran, and the image path was taken literally.
            Assert.Equal(0, exit);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(secret, lines[0]);
            Assert.Contains("no-leak", output, StringComparison.Ordinal);
            Assert.DoesNotContain("host-secret", output, StringComparison.Ordinal);
            Assert.Contains("no-layer", output, StringComparison.Ordinal);
            Assert.Contains("plain", output, StringComparison.Ordinal);
            Assert.Contains("0", lines, StringComparer.Ordinal);
            Assert.Contains("No such file or directory", output, StringComparison.Ordinal);
        }
        finally
        {
            await DeleteAsync(client, reference);
        }
    }

    [Theory]
    [InlineData("/tmp", "/repo/../etc")]
    [InlineData("relative", "/repo")]
    [InlineData("/tmp", "relative")]
    public async Task EnsureLayerAsync_PathsThatAreNotPlainAbsolute_AreRefusedBeforeAnyEngineIsAsked(string host, string image)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DockerImages.EnsureLayerAsync(
            [new Uri("unix:///nonexistent/engine.sock")], "sparring-repo:x", "sparring-base:x", [(host, image)], new Dictionary<string, string>(), "/repo", new Dictionary<string, string>()));

        Assert.Contains("absolute paths without '..'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(long Exit, string Output)> RunAsync(DockerClient client, string image, string script)
    {
        var container = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = ["sh", "-c", script],
            NetworkDisabled = true,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
            var exit = await client.Containers.WaitContainerAsync(container.ID);
            using var logs = await client.Containers.GetContainerLogsAsync(container.ID, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true });
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            return (exit.StatusCode, stdout + stderr);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static async Task DeleteAsync(DockerClient client, string reference)
    {
        try
        {
            await client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
        }
        catch (DockerImageNotFoundException)
        {
            // Not there.
        }
    }
}
