using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary>The Docker backend from the command line: <c>--sandbox docker</c>, <c>images</c>, <c>sandboxes</c>, the reaper.</summary>
public sealed class DockerCliTests
{
    [Fact]
    public async Task Probe_OnDocker_ReadsTheSameResultsAsOnBubblewrap()
    {
        // Arrange
        var image = await DockerEngines.ImageAsync();
        var path = Samples.Path(Samples.Python);

        // Act
        var docker = await CliRunner.RunAsync("probe", path, "--no-install", "--sandbox", "docker", "--docker-image", image);
        var bubblewrap = await CliRunner.RunAsync("probe", path, "--no-install");

        // Assert
        Assert.Equal(0, docker.ExitCode);
        Assert.Equal(bubblewrap.ExitCode, docker.ExitCode);
        Assert.Contains("92 tests: 91 passed, 0 failed, 1 skipped, 0 error", docker.Stdout, StringComparison.Ordinal);
        Assert.Equal(Results(bubblewrap.Stdout), Results(docker.Stdout));
    }

    [Fact]
    public async Task Selfplay_OnDocker_PlaysARoundAndLeavesNoContainerOfItsRun()
    {
        // Arrange
        var image = await DockerEngines.ImageAsync();
        using var runs = new TempDirectory("sparring-docker-selfplay-");
        var directory = Path.Combine(runs.Path, "docker-run-" + Guid.NewGuid().ToString("N")[..8]);
        using var provider = new DockerSandboxProvider(new DockerSandboxSettings { Image = image });

        // Act
        var outcome = await CliRunner.RunAsync(
            "selfplay", Samples.Path(Samples.Python), "--no-install", "--sandbox", "docker", "--docker-image", image,
            "--rounds", "1", "--bugs-per-round", "1", "--attempts", "2", "--out", directory, "--json");

        // Assert: the run played on Docker (its valid bug and graded attempts), and took its containers with it.
        Assert.Equal(0, outcome.ExitCode);
        using var summary = System.Text.Json.JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(1, summary.RootElement.GetProperty("valid").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain(await provider.ListAsync(), c => c.Container.Labels?.TryGetValue("sparring.run", out var run) == true && run == Commands.SelfplayCommand.RunLabelOf(directory));
    }

    [Theory]
    [InlineData("--sandbox", "podman", "--sandbox must be bwrap or docker")]
    [InlineData("--docker-host", "unix:///var/run/docker.sock", "need --sandbox docker")]
    public async Task Exec_BadSandboxOptions_AreUsageErrors(string option, string value, string message)
    {
        // Act
        var outcome = await CliRunner.RunAsync("exec", Samples.Path(Samples.Python), "--no-install", option, value, "--", "true");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_DockerHostThatDoesNotAnswer_IsAnEnvironmentErrorSayingWhatToDo()
    {
        // Arrange
        var image = await DockerEngines.ImageAsync();

        // Act
        var outcome = await CliRunner.RunAsync(
            "exec", Samples.Path(Samples.Python), "--no-install", "--sandbox", "docker", "--docker-image", image, "--docker-host", "unix:///tmp/sparring-no-such-docker.sock", "--", "true");

        // Assert
        Assert.Equal(4, outcome.ExitCode);
        Assert.Contains("does not answer", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("--docker-host", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagesLs_ListsTheTestImage_AndBuildSaysItIsThere()
    {
        // Arrange
        var image = await DockerEngines.ImageAsync();

        // Act
        var listed = await CliRunner.RunAsync("images", "ls");

        // Assert
        Assert.Equal(0, listed.ExitCode);
        Assert.StartsWith("HOST\tIMAGE\tID\tSIZE\tCREATED\n", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains(image, listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_DockerKilledWithSigkillMidCommand_AnyNextStartRemovesItsContainer()
    {
        // Arrange: the CLI as its own process, running a long command in a container.
        var image = await DockerEngines.ImageAsync();
        using var temp = new TempDirectory("sparring-dockerkill-tmp-");
        var path = Samples.Path(Samples.Python);
        using var settingsProvider = new DockerSandboxProvider(new DockerSandboxSettings { Image = image });
        using var killed = CliProcess.Start(temp.Path, TestCache.Root, "exec", path, "--no-install", "--sandbox", "docker", "--docker-image", image, "--timeout", "120", "--", "sleep", "120");
        var owner = $"/{killed.Id}-";
        async Task<int> OwnedAsync() => (await settingsProvider.ListAsync()).Count(c => c.Container.Labels?.TryGetValue("sparring.owner", out var o) == true && o.Contains(owner, StringComparison.Ordinal));
        var started = false;
        for (var i = 0; i < 600 && !started; i++)
        {
            started = await OwnedAsync() > 0;
            await Task.Delay(100);
        }

        Assert.True(started, "the command's container never appeared");

        // Act: kill -9, then any command (on bubblewrap, the default backend) starts.
        killed.Kill();
        await killed.WaitForExitAsync();
        var leftBehind = await OwnedAsync();
        using var next = CliProcess.Start(temp.Path, TestCache.Root, "exec", path, "--no-install", "--", "true");
        await next.WaitForExitAsync();

        // Assert
        Assert.Equal(1, leftBehind);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal(0, await OwnedAsync());
    }

    [Fact]
    public async Task SandboxesPrune_ARunsContainers_RemovesThemAndSaysHowMany()
    {
        // Arrange: a container of a named run, left running (as a crashed worker on another machine would leave it).
        var run = "cli-prune-" + Guid.NewGuid().ToString("N")[..8];
        using var provider = new DockerSandboxProvider(await DockerEngines.SettingsAsync(run));
        using var workspace = new TempDirectory("sparring-prune-ws-");
        await using var sandbox = await provider.CreateAsync(workspace.Path, new SandboxOptions());
        var running = sandbox.ExecAsync(ExecRequest.Shell("sleep 60"));
        for (var i = 0; i < 300 && (await provider.ListAsync()).All(c => c.Container.Labels?["sparring.run"] != run); i++)
        {
            await Task.Delay(100);
        }

        // Act
        var listed = await CliRunner.RunAsync("sandboxes", "ls");
        var pruned = await CliRunner.RunAsync("sandboxes", "prune", "--run", run);

        // Assert
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("\t" + run + "\t", listed.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, pruned.ExitCode);
        Assert.Equal("removed 1 container(s)\n", pruned.Stdout);
        Assert.DoesNotContain((await provider.ListAsync()), c => c.Container.Labels?["sparring.run"] == run);
        var lost = await Assert.ThrowsAsync<SandboxException>(() => running);
        Assert.Contains("was removed while the command ran", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagesBuildRepo_ThenExportSwebench_BuildsOnceAndTheExportNamesTheImage()
    {
        // Arrange
        var image = await DockerEngines.ImageAsync();
        var path = Samples.Path(Samples.Python);
        using var runs = new TempDirectory("sparring-repo-image-");
        var played = await CliRunner.RunAsync("selfplay", path, "--no-install", "--rounds", "1", "--bugs-per-round", "1", "--attempts", "1", "--out", Path.Combine(runs.Path, "run"));
        Assert.True(played.ExitCode == 0, played.Stderr);
        string? reference = null;
        try
        {
            // Act
            var built = await CliRunner.RunAsync("images", "build", "--repo", path, "--base", image, "--no-install");
            var again = await CliRunner.RunAsync("images", "build", "--repo", path, "--base", image, "--no-install");
            var exported = await CliRunner.RunAsync("export", Path.Combine(runs.Path, "run"), "--format", "swebench", "--out", Path.Combine(runs.Path, "sb"));
            var noRepo = await CliRunner.RunAsync("images", "build", "--base", image);

            // Assert
            Assert.True(built.ExitCode == 0, built.Stderr);
            var match = System.Text.RegularExpressions.Regex.Match(built.Stdout, @"^(sparring-repo:py-inventory-[0-9a-f]{12}-[0-9a-f]{10}): built in", System.Text.RegularExpressions.RegexOptions.Multiline);
            Assert.True(match.Success, built.Stdout);
            reference = match.Groups[1].Value;
            Assert.Contains($"{reference}: already built", again.Stdout, StringComparison.Ordinal);
            Assert.True(exported.ExitCode == 0, exported.Stderr);
            var instance = System.Text.Json.JsonDocument.Parse(File.ReadLines(Path.Combine(runs.Path, "sb", "swebench.jsonl")).First()).RootElement;
            Assert.Equal(reference, instance.GetProperty("image").GetString());
            Assert.Equal(2, noRepo.ExitCode);
            Assert.Contains("--commit and --base need --repo", noRepo.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (reference is not null)
            {
                using var client = new Docker.DotNet.DockerClientBuilder().WithEndpoint(DockerSandboxSettings.DefaultHost).Build();
                await client.Images.DeleteImageAsync(reference, new Docker.DotNet.Models.ImageDeleteParameters { Force = true });
            }
        }
    }

    /// <summary>The per-test lines of a probe's output, sorted.</summary>
    private static List<string> Results(string stdout) =>
        [.. stdout.Split('\n').Where(l => l.StartsWith("passed ", StringComparison.Ordinal) || l.StartsWith("failed ", StringComparison.Ordinal) || l.StartsWith("skipped ", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
