using System.Diagnostics;
using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ExecCommandTests
{
    [Fact]
    public async Task Exec_CommandInSample_RunsInThePreparedSandboxAndReturnsItsExitCode()
    {
        // Arrange
        var path = Samples.Path(Samples.Go);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--", "bash", "-c", "pwd; go env GOCACHE; ls go.mod; echo oops >&2; exit 7");

        // Assert
        Assert.Equal(7, outcome.ExitCode);
        Assert.Equal("/repo\n/sparring/go-build\ngo.mod\n", outcome.Stdout);
        Assert.Contains("oops", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("sparring: exit code 7", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_WritesToTheCopy_NeverToTheRepository()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--json", "--", "bash", "-c", "rm -rf inventory && echo gone");

        // Assert
        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("gone\n", json.RootElement.GetProperty("stdout").GetString());
        Assert.False(json.RootElement.GetProperty("timedOut").GetBoolean());
        Assert.True(Directory.Exists(Path.Combine(path, "inventory")));
    }

    [Fact]
    public async Task Exec_Timeout_KillsAndReports124()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--timeout", "1", "--json", "--", "sleep", "30");

        // Assert
        Assert.Equal(124, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.True(json.RootElement.GetProperty("timedOut").GetBoolean());
        Assert.InRange(json.RootElement.GetProperty("durationMs").GetDouble(), 900, 10_000);
    }

    [Fact]
    public async Task Exec_MissingCommand_ExitsTwo()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path);

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_CommandFillsTheDiskQuota_FailsWithEnospcAndNamesTheQuotaAndTheOption()
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var text = await CliRunner.RunAsync("exec", path, "--disk-quota", "8M", "--", "bash", "-c", "head -c 50000000 /dev/zero > fill.bin");
        var json = await CliRunner.RunAsync("exec", path, "--disk-quota", "8M", "--json", "--", "bash", "-c", "head -c 50000000 /dev/zero > fill.bin");
        var roomy = await CliRunner.RunAsync("exec", path, "--disk-quota", "64M", "--json", "--", "bash", "-c", "head -c 20000000 /dev/zero > fill.bin");

        // Assert
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("No space left on device", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("sparring: warning: The workspace's disk quota (8 MiB) was reached", text.Stderr, StringComparison.Ordinal);
        Assert.Contains("--disk-quota", text.Stderr, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(json.Stdout);
        Assert.True(report.RootElement.GetProperty("diskFull").GetBoolean());
        Assert.Equal(0, roomy.ExitCode);
        using var roomyReport = JsonDocument.Parse(roomy.Stdout);
        Assert.False(roomyReport.RootElement.GetProperty("diskFull").GetBoolean());
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("12X")]
    [InlineData("100")]
    public async Task Exec_BadDiskQuota_ExitsTwoNamingTheOption(string quota)
    {
        // Arrange
        var path = Samples.Path(Samples.Python);

        // Act
        var outcome = await CliRunner.RunAsync("exec", path, "--disk-quota", quota, "--", "true");

        // Assert
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--disk-quota", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_KilledWithSigkillMidCommand_LeavesNothingPastTheNextStart()
    {
        // Arrange: a private temp folder and cache, so what is left can be counted exactly.
        using var temp = new TempDirectory("sparring-kill-tmp-");
        using var cache = new TempDirectory("sparring-kill-cache-");
        var path = Samples.Path(Samples.Python);
        using var killed = CliProcess.Start(temp.Path, cache.Path, "exec", path, "--no-install", "--timeout", "120", "--", "sleep", "120");
        var controlPrefix = $"sparring-sandbox-{killed.Id}-";
        var workspaces = Path.Combine(cache.Path, "workspaces");
        // The exec command itself, not a setup step of the environment (a fresh cache prepares it first).
        var running = await WaitForAsync(() => Directory.Exists(workspaces) && Directory.EnumerateDirectories(workspaces, "ws-*").Any()
            && Directory.EnumerateDirectories(temp.Path, controlPrefix + "*")
                .SelectMany(d => Directory.EnumerateFiles(d, "*.started"))
                .Any(f => File.ReadAllText(f) == "started"));
        Assert.True(running, "the command never started in the sandbox");

        // Act: kill -9 mid-command, then start Sparring again with the same folders.
        killed.Kill();
        await killed.WaitForExitAsync();
        var leftBehind = (
            Control: Directory.GetFileSystemEntries(temp.Path, "sparring-*").Length,
            Workspaces: Directory.GetDirectories(workspaces, "ws-*").Length,
            Mounts: MountsUnder(cache.Path).Count,
            Cgroups: CgroupsOf(killed.Id).Count);
        using var next = CliProcess.Start(temp.Path, cache.Path, "exec", path, "--no-install", "--", "true");
        await next.WaitForExitAsync();

        // Assert: the kill did leave one of each (cgroups: the running command's, and any pooled from setup steps),
        // and the next start removed them all.
        Assert.Equal((1, 1, 1), (leftBehind.Control, leftBehind.Workspaces, leftBehind.Mounts));
        Assert.True(leftBehind.Cgroups >= 2, $"expected the running command's cgroups to be left behind, found {leftBehind.Cgroups}");
        Assert.Equal(0, next.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path, "sparring-*"));
        Assert.Empty(Directory.GetFileSystemEntries(workspaces));
        Assert.Empty(MountsUnder(cache.Path));
        Assert.Empty(CgroupsOf(killed.Id));
        Assert.Empty(CgroupsOf(next.Id));
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1200; i++)
        {
            try
            {
                if (condition())
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // A marker or folder went away between listing and reading it: look again.
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static List<string> MountsUnder(string path) =>
        File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Split(' ')[4].StartsWith(path + "/", StringComparison.Ordinal)).ToList();

    /// <summary>Per-command cgroups named after <paramref name="pid"/> under the memory and pids parents Sparring uses (cgroup v1 here).</summary>
    private static List<string> CgroupsOf(int pid)
    {
        var found = new List<string>();
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3 || parts[1] is not ("memory" or "pids"))
            {
                continue;
            }

            var parent = $"/sys/fs/cgroup/{parts[1]}{parts[2].TrimEnd('/')}/sparring";
            if (Directory.Exists(parent))
            {
                found.AddRange(Directory.GetDirectories(parent, $"{pid}-*"));
            }
        }

        return found;
    }
}
