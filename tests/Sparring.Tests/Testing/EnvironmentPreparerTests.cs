using System.Diagnostics;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>Setup with network once, offline runs after, and no run able to poison what the next one sees.</summary>
public sealed class EnvironmentPreparerTests
{
    private readonly BubblewrapSandboxProvider _sandboxes = new();

    [Fact]
    public async Task PrepareAsync_NpmDependency_InstallsOnceAndRunsOfflineWithReadOnlyNodeModules()
    {
        // Arrange: a real package from the npm registry, locked.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"x","version":"1.0.0","dependencies":{"is-number":"7.0.0"},"scripts":{"test":"node --test"}}""");
        repo.Write("test/num.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\nconst isNumber = require('is-number');\ntest('is a number', () => assert.ok(isNumber(5)));\n");
        Run(repo.Path, "npm", "install", "--package-lock-only", "--no-audit", "--no-fund");
        repo.Commit("with a dependency");
        using var cache = new TempDirectory();
        var (environment, runner) = await PrepareAsync(repo.Path, cache.Path);
        var preparedFile = Path.Combine(environment.TreePath, "node_modules", "is-number", "index.js");
        var before = File.ReadAllText(preparedFile);

        // Act
        var run = await runner.RunAsync(environment);
        var tamper = await runner.RunAsync(environment, new TestCommand { Command = "echo hacked > node_modules/is-number/index.js; echo \"exit=$?\"", Parser = "tap" });
        var again = await new EnvironmentPreparer(_sandboxes, cache.Path).PrepareAsync(environment.Snapshot, environment.Plan);

        // Assert
        Assert.False(environment.Reused);
        Assert.Equal("npm ci --no-audit --no-fund", Assert.Single(environment.Steps).Command);
        Assert.True(run.AllPassed, run.Log);
        Assert.Equal(new TestCounts(1, 0, 0, 0, 0), run.Counts);
        Assert.Contains("Read-only file system", tamper.Log, StringComparison.Ordinal);
        Assert.Contains("exit=1", tamper.Log, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(preparedFile));
        Assert.True(again.Reused);
    }

    [Fact]
    public async Task PrepareAsync_NpmPeerDependencyConflict_RetriesOnceWithLegacyPeerDepsAndSaysSo()
    {
        // Arrange: ajv-keywords 3 wants ajv 6 as a peer; npm 7+ refuses ajv 8 beside it (ERESOLVE).
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"x","version":"1.0.0","devDependencies":{"ajv":"8.12.0","ajv-keywords":"3.5.2"},"scripts":{"test":"node --test"}}""")
            .Write("test/ajv.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\nconst Ajv = require('ajv');\ntest('validates', () => assert.ok(new Ajv().validate({ type: 'number' }, 1)));\n")
            .Commit("peer conflict");
        using var cache = new TempDirectory();
        var steps = new List<string>();

        // Act
        var repository = await GitRepository.OpenAsync(repo.Path);
        var snapshot = await new SnapshotStore(cache.Path).GetOrCreateAsync(repository, await repository.ResolveCommitAsync("HEAD"));
        var environment = await new EnvironmentPreparer(_sandboxes, cache.Path) { OnStep = steps.Add }.PrepareAsync(snapshot, TestRunnerDetector.Detect(snapshot.TreePath));
        var run = await new TestRunner(_sandboxes).RunAsync(environment);
        var record = File.ReadAllText(Path.Combine(environment.Directory, "prepared.json"));

        // Assert
        Assert.Equal(2, environment.Steps.Count);
        Assert.NotEqual(0, environment.Steps[0].ExitCode);
        Assert.Contains("ERESOLVE", environment.Steps[0].OutputTail, StringComparison.Ordinal);
        Assert.Equal("npm install --no-audit --no-fund --legacy-peer-deps", environment.Steps[1].Command);
        Assert.Equal(0, environment.Steps[1].ExitCode);
        Assert.Contains("ERESOLVE", environment.Steps[1].Note, StringComparison.Ordinal);
        Assert.Contains("retried once with --legacy-peer-deps", record, StringComparison.Ordinal);
        Assert.Contains(steps, s => s.StartsWith("npm install --no-audit --no-fund --legacy-peer-deps (npm could not resolve", StringComparison.Ordinal));
        Assert.True(run.AllPassed, run.Log);
    }

    [Fact]
    public async Task PrepareAsync_PrepareScriptInstallsGitHooks_RunsInAGitRepositoryThatIsRemovedAfterwards()
    {
        // Arrange: what husky and lefthook do in a package's prepare script: find the repository and point git at hooks.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"x","version":"1.0.0","dependencies":{"is-number":"7.0.0"},"scripts":{"prepare":"git rev-parse --show-toplevel && git config core.hooksPath .hooks","test":"node --test"}}""")
            .Write("test/num.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\ntest('runs', () => assert.ok(require('is-number')(1)));\n");
        Run(repo.Path, "npm", "install", "--package-lock-only", "--no-audit", "--no-fund");
        repo.Commit("hooks installer");
        using var cache = new TempDirectory();

        // Act
        var (environment, runner) = await PrepareAsync(repo.Path, cache.Path);
        var run = await runner.RunAsync(environment);

        // Assert
        Assert.Equal(0, Assert.Single(environment.Steps).ExitCode);
        Assert.Contains("/repo", environment.Steps[0].OutputTail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(environment.TreePath, ".git")));
        Assert.True(run.AllPassed, run.Log);
    }

    [Fact]
    public async Task RunAsync_TestWritesNodeModulesCache_EachRunGetsItsOwnWritableCache()
    {
        // Arrange: AVA, babel and nyc keep caches in node_modules/.cache, which a developer's tree has writable.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"x","version":"1.0.0","dependencies":{"is-number":"7.0.0"},"scripts":{"test":"node --test"}}""");
        Run(repo.Path, "npm", "install", "--package-lock-only", "--no-audit", "--no-fund");
        repo.Commit("a dependency");
        using var cache = new TempDirectory();
        var (environment, runner) = await PrepareAsync(repo.Path, cache.Path);
        var write = new TestCommand { Command = "ls node_modules/.cache/ava 2>/dev/null | wc -l; mkdir -p node_modules/.cache/ava && echo x > node_modules/.cache/ava/entry && echo written; echo x > node_modules/is-number/index.js || echo read-only", Parser = "tap" };

        // Act
        var first = await runner.RunAsync(environment, write);
        var second = await runner.RunAsync(environment, write);

        // Assert
        Assert.Contains("written", first.Log, StringComparison.Ordinal);
        Assert.Contains("read-only", first.Log, StringComparison.Ordinal);
        Assert.StartsWith("0", second.Log.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("written", second.Log, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(environment.TreePath, "node_modules", ".cache")));
    }

    [Fact]
    public async Task PrepareAsync_PnpmLockFile_InstallsWithTheInstalledPnpmWhateverPackageManagerPins()
    {
        // Arrange: a pnpm project pinning another pnpm than the installed one.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"x","version":"1.0.0","packageManager":"pnpm@9.15.0","dependencies":{"is-number":"7.0.0"},"scripts":{"test":"node --test"}}""")
            .Write("test/num.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\ntest('runs', () => assert.ok(require('is-number')(1)));\n");
        Run(repo.Path, "pnpm", "install", "--lockfile-only", "--config.manage-package-manager-versions=false");
        repo.Commit("pnpm project");
        using var cache = new TempDirectory();

        // Act
        var (environment, runner) = await PrepareAsync(repo.Path, cache.Path);
        var run = await runner.RunAsync(environment);

        // Assert
        Assert.StartsWith("pnpm install --frozen-lockfile", Assert.Single(environment.Steps).Command, StringComparison.Ordinal);
        Assert.Empty(environment.Plan.Warnings);
        Assert.True(Directory.Exists(Path.Combine(environment.TreePath, "node_modules", ".pnpm")));
        Assert.False(File.Exists(Path.Combine(environment.TreePath, "package-lock.json")));
        Assert.True(run.AllPassed, run.Log);
    }

    [Fact]
    public async Task RunAsync_CommandWritesIntoTheGoBuildCache_NextRunSeesThePreparedCache()
    {
        // Arrange
        using var cache = new TempDirectory();
        var (environment, runner) = await PrepareAsync(Samples.Path(Samples.Go), cache.Path);
        var cacheMount = environment.Plan.Recipe.Caches.Single(c => c.Name == "go-build");
        var preparedCache = environment.CacheHostPath(cacheMount);
        var filesBefore = Directory.GetFiles(preparedCache, "*", SearchOption.AllDirectories).Length;

        // Act
        var poison = await runner.RunAsync(environment, new TestCommand { Command = "echo poison > $GOCACHE/poisoned && find $GOCACHE -type f -name '*-d' -exec sh -c 'echo junk > {}' \\; ; echo done", Parser = "tap" });
        var next = await runner.RunAsync(environment);

        // Assert
        Assert.Contains("done", poison.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(preparedCache, "poisoned")));
        Assert.Equal(filesBefore, Directory.GetFiles(preparedCache, "*", SearchOption.AllDirectories).Length);
        Assert.True(next.AllPassed, next.Log);
        Assert.Equal(93, next.Counts.Passed);
    }

    [Fact]
    public async Task PrepareAsync_FailingSetup_ThrowsWithOutputAndRecordsNothing()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("test_a.py", "def test_a():\n    pass\n").Commit("a");
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);
        var snapshot = await store.GetOrCreateAsync(await GitRepository.OpenAsync(repo.Path), repo.Git("rev-parse", "HEAD").Trim());
        var plan = TestRunnerDetector.Detect(snapshot.TreePath);
        plan = plan with { Recipe = plan.Recipe with { SetupCommands = ["echo preparing", "echo boom >&2; exit 3"] } };
        var preparer = new EnvironmentPreparer(_sandboxes, cache.Path);

        // Act
        var error = await Assert.ThrowsAsync<EnvironmentPreparationException>(() => preparer.PrepareAsync(snapshot, plan));
        var fixedPlan = plan with { Recipe = plan.Recipe with { SetupCommands = ["echo preparing"] } };
        var prepared = await preparer.PrepareAsync(snapshot, fixedPlan);

        // Assert
        Assert.Equal(3, error.Step.ExitCode);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit 3", error.Step.Command, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(snapshot.Directory, "prepared.json", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(prepared.Directory, "prepared.json")));
        Assert.False(prepared.Reused);
        Assert.All(Directory.GetDirectories(snapshot.Directory, "staging", SearchOption.AllDirectories), d => Assert.Empty(Directory.GetFileSystemEntries(d)));
        Assert.True(File.Exists(Path.Combine(prepared.TreePath, "test_a.py")));
    }

    [Fact]
    public async Task PrepareAsync_SetupHasNetworkButRunsDoNot()
    {
        // Arrange: both try to open a TCP connection to a listener on the host's loopback.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var repo = new TempGitRepo();
        repo.Write("test_a.py", "def test_a():\n    pass\n").Commit("a");
        using var cache = new TempDirectory();
        var store = new SnapshotStore(cache.Path);
        var snapshot = await store.GetOrCreateAsync(await GitRepository.OpenAsync(repo.Path), repo.Git("rev-parse", "HEAD").Trim());
        var plan = TestRunnerDetector.Detect(snapshot.TreePath);
        var probe = $"(exec 3<>/dev/tcp/127.0.0.1/{port}) && echo CONNECTED > net.txt || echo REFUSED > net.txt";
        plan = plan with { Recipe = plan.Recipe with { SetupCommands = [probe] } };

        // Act
        var environment = await new EnvironmentPreparer(_sandboxes, cache.Path).PrepareAsync(snapshot, plan);
        var run = await new TestRunner(_sandboxes).RunAsync(environment, new TestCommand { Command = probe + "; cat net.txt", Parser = "tap" });

        // Assert
        Assert.Equal("CONNECTED", File.ReadAllText(Path.Combine(environment.TreePath, "net.txt")).Trim());
        Assert.Contains("REFUSED", run.Log, StringComparison.Ordinal);
    }

    private async Task<(PreparedEnvironment, TestRunner)> PrepareAsync(string repositoryPath, string cacheRoot)
    {
        var repository = await GitRepository.OpenAsync(repositoryPath);
        var snapshot = await new SnapshotStore(cacheRoot).GetOrCreateAsync(repository, await repository.ResolveCommitAsync("HEAD"));
        var plan = TestRunnerDetector.Detect(snapshot.TreePath);
        var environment = await new EnvironmentPreparer(_sandboxes, cacheRoot).PrepareAsync(snapshot, plan);
        return (environment, new TestRunner(_sandboxes));
    }

    private static void Run(string directory, string program, params string[] arguments)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {stderr.Result}");
    }
}
