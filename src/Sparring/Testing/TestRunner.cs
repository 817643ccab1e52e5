using System.Text;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing.Internal;

namespace Sparring.Testing;

/// <summary>
/// Runs a prepared environment's test suite in a sandbox over a workspace and reads the results.
/// The workspace is a throwaway copy: the snapshot and the original repository are never written.
/// </summary>
public sealed class TestRunner
{
    private readonly ISandboxProvider _sandboxes;

    public TestRunner(ISandboxProvider sandboxes) => _sandboxes = sandboxes;

    /// <summary>Limits for each test run's sandbox (memory, processes, output cap).</summary>
    public SandboxOptions SandboxLimits { get; init; } = new();

    /// <summary>
    /// The limits of an agent episode's sandbox: one sandbox kept running for the episode's many short commands
    /// (<see cref="SandboxOptions.KeepAlive"/>), each still starting as in a fresh one.
    /// </summary>
    public static SandboxOptions AgentSandboxLimits { get; } = new() { KeepAlive = true };

    /// <summary>Runs the suite on a fresh copy of the prepared tree, then deletes the copy.</summary>
    public async Task<TestRun> RunAsync(PreparedEnvironment environment, TestCommand? command = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        await using var workspace = await CreateWorkspaceAsync(environment, cancellationToken).ConfigureAwait(false);
        return await RunInWorkspaceAsync(environment, workspace, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A writable copy of the prepared tree, made as <see cref="PreparedEnvironment.Workspaces"/> says; prepared
    /// dependency folders are left out (the sandbox mounts them). The default disk quota counts the per-run cache
    /// copies that <see cref="OpenSandboxAsync"/> puts beside the tree.
    /// </summary>
    public static Task<Workspace> CreateWorkspaceAsync(PreparedEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var caches = environment.Plan.Recipe.Caches
            .Where(c => c.Scope == CacheScope.CopiedPerRun)
            .Sum(c => DirectoryBytes(environment.CacheHostPath(c)));
        return Workspace.CreateAsync(
            environment.TreePath,
            Path.Combine(environment.CacheRoot, "workspaces"),
            environment.Plan.Recipe.SharedDirectories,
            environment.Workspaces with { AdditionalBytes = caches },
            cancellationToken);
    }

    private static long DirectoryBytes(string path) =>
        Directory.Exists(path)
            ? new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Sum(f => f.Length)
            : 0;

    /// <summary>Opens a sandbox over <paramref name="workspace"/> set up as the environment's test runs expect.</summary>
    /// <remarks>Besides the caches and shared folders, the sandbox sees the results directory (writable), the parser
    /// directory and a tools directory holding Sparring's own runner plug-ins (read-only).</remarks>
    public async Task<ISandbox> OpenSandboxAsync(PreparedEnvironment environment, Workspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(workspace);
        var recipe = environment.Plan.Recipe;
        var mounts = new List<SandboxMount>();
        foreach (var cache in recipe.Caches)
        {
            switch (cache.Scope)
            {
                case CacheScope.SharedReadOnly:
                    mounts.Add(new SandboxMount(environment.CacheHostPath(cache), cache.SandboxPath, ReadOnly: true));
                    break;
                case CacheScope.CopiedPerRun:
                    var copy = Path.Combine(workspace.Root, "cache-" + cache.Name);
                    if (!Directory.Exists(copy))
                    {
                        CopyDirectory(environment.CacheHostPath(cache), copy);
                    }

                    mounts.Add(new SandboxMount(copy, cache.SandboxPath, ReadOnly: false));
                    break;
                case CacheScope.SetupOnly:
                    break;
            }
        }

        var results = workspace.StateDirectory("results");
        mounts.Add(new SandboxMount(results, TestRunnerDetector.ResultsPath, ReadOnly: false));
        mounts.Add(new SandboxMount(workspace.StateDirectory("parser"), ParserScript.SandboxDirectory, ReadOnly: true));
        var tools = workspace.StateDirectory("tools");
        await NodeReporter.WriteAsync(tools, cancellationToken).ConfigureAwait(false);
        await MochaReporter.WriteAsync(tools, cancellationToken).ConfigureAwait(false);
        mounts.Add(new SandboxMount(tools, NodeReporter.SandboxDirectory, ReadOnly: true));
        mounts.AddRange(SystemMounts.ReadOnlyExtras());
        var inside = SandboxLimits.WorkspaceMountPath.TrimEnd('/');
        foreach (var shared in recipe.SharedDirectories)
        {
            // The prepared folder itself, read-only: workspaces leave it out instead of copying it.
            mounts.Add(new SandboxMount(Path.Combine(environment.TreePath, shared), inside + "/" + shared, ReadOnly: true));
        }

        foreach (var (scratch, index) in recipe.ScratchDirectories.Select((s, i) => (s, i)))
        {
            // Over the read-only folder, where setup left an empty directory for it; this workspace's own.
            if (Directory.Exists(Path.Combine(environment.TreePath, scratch)))
            {
                mounts.Add(new SandboxMount(workspace.StateDirectory($"scratch-{index}"), inside + "/" + scratch, ReadOnly: false));
            }
        }

        var environmentVariables = new Dictionary<string, string>(recipe.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in recipe.RunEnvironment)
        {
            environmentVariables[key] = value;
        }

        var options = SandboxLimits with { Mounts = [.. SandboxLimits.Mounts, .. mounts], Environment = environmentVariables, Network = false };
        return await _sandboxes.CreateAsync(workspace.TreePath, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the suite in an existing workspace (which may carry a patch).</summary>
    public async Task<TestRun> RunInWorkspaceAsync(PreparedEnvironment environment, Workspace workspace, TestCommand? command = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(workspace);
        command ??= environment.Plan.Command;
        var parser = ParserScript.IsScript(command.Parser) ? null : TestReportParsers.Get(command.Parser);
        var results = workspace.StateDirectory("results");
        ClearDirectory(results);

        await using var sandbox = await OpenSandboxAsync(environment, workspace, cancellationToken).ConfigureAwait(false);
        var exec = await sandbox.ExecAsync(
            new ExecRequest { Command = ["/bin/bash", "-c", "exec 2>&1\n" + command.Command], Timeout = command.Timeout },
            cancellationToken).ConfigureAwait(false);
        var log = exec.Stdout + exec.Stderr;

        var warnings = new List<string>(environment.Plan.Warnings);
        if (exec.DiskFull)
        {
            warnings.Add(workspace.DiskFullMessage);
        }
        ParsedReport parsed;
        if (parser is null)
        {
            parsed = await ParserScript.RunAsync(command.Parser, workspace, sandbox, log, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var files = parser.Source == ReportSource.ReportFiles ? ReadReports(results) : new Dictionary<string, string>();
            if (parser.Source == ReportSource.ReportFiles && files.Count == 0)
            {
                warnings.Add("The runner wrote no report file.");
            }

            parsed = parser.Parse(new ReportInput { Log = log, ReportFiles = files });
        }

        warnings.AddRange(parsed.Warnings);
        parsed = parsed with { Tests = WithoutSandboxPrefix(parsed.Tests, sandbox.SandboxWorkspacePath + "/") };
        return RunVerdict.Build(environment.Plan.Runner, command, exec, log, parsed, warnings, environment.TreePath, environment.Plan.Command.Command);
    }

    /// <summary>Runners that report absolute paths (jest) would otherwise give ids that name the sandbox mount point.</summary>
    private static List<TestResult> WithoutSandboxPrefix(IReadOnlyList<TestResult> tests, string prefix) =>
        tests.Select(t => t.Id.StartsWith(prefix, StringComparison.Ordinal) ? t with { Id = t.Id[prefix.Length..] } : t).ToList();

    private static Dictionary<string, string> ReadReports(string results)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(results, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (info.Length > 256L * 1024 * 1024)
            {
                continue;
            }

            files[Path.GetRelativePath(results, file)] = File.ReadAllText(file, Encoding.UTF8);
        }

        return files;
    }

    private static void ClearDirectory(string path)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(path))
        {
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
