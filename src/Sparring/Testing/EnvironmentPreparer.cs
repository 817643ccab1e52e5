using Sparring.Internal;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sparring.Repos;
using Sparring.Sandboxes;

namespace Sparring.Testing;

/// <summary>
/// Runs a recipe's setup once per snapshot and recipe, in a sandbox that may reach the package
/// registries, and records it; later calls reuse the result. Setup works on a staging copy that is
/// renamed into place only when every command succeeded, so a crash or a failure leaves nothing half-prepared.
/// </summary>
/// <remarks>
/// Shared caches (NuGet packages, Go modules) are writable only here; test runs see them read-only, and
/// per-run caches are copies, so no run can poison what the next run sees.
/// </remarks>
public sealed class EnvironmentPreparer
{
    private readonly ISandboxProvider _sandboxes;
    private readonly string _cacheRoot;
    private readonly TimeProvider _time;

    public EnvironmentPreparer(ISandboxProvider sandboxes, string cacheRoot, TimeProvider? time = null)
    {
        _sandboxes = sandboxes;
        _cacheRoot = cacheRoot;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Limit for each setup command.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Called with each setup command before it runs.</summary>
    public Action<string>? OnStep { get; init; }

    /// <summary>How the workspaces of the prepared environment's runs are made (carried on <see cref="PreparedEnvironment.Workspaces"/>).</summary>
    public WorkspaceOptions Workspaces { get; init; } = new();

    public async Task<PreparedEnvironment> PrepareAsync(Snapshot snapshot, TestPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(plan);
        var hash = RecipeHash(plan.Recipe);
        var directory = Path.Combine(snapshot.Directory, "env-" + hash);
        var marker = Path.Combine(directory, "prepared.json");
        PreparedEnvironment Result(IReadOnlyList<PreparationStep> steps, bool reused) => new()
        {
            Snapshot = snapshot,
            Plan = plan,
            Directory = directory,
            CacheRoot = _cacheRoot,
            Reused = reused,
            Steps = steps,
            Workspaces = Workspaces,
        };

        if (TryLoad(marker) is { } existing)
        {
            return Result(existing.Steps, reused: true);
        }

        Directory.CreateDirectory(directory);
        await using var guard = await FileLock.AcquireAsync(Path.Combine(directory, ".lock"), cancellationToken).ConfigureAwait(false);
        if (TryLoad(marker) is { } raced)
        {
            return Result(raced.Steps, reused: true);
        }

        var probe = Result([], reused: false);
        // The staging tree is moved into the cache when setup succeeds, so it lives on the cache's disk, without a
        // quota: setup runs the repository's own commands, before any policy has touched it.
        var staging = await Workspace.CreateAsync(
            snapshot.TreePath, Path.Combine(directory, "staging"), options: new WorkspaceOptions { OwnFilesystem = false }, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var mounts = new List<SandboxMount>();
            foreach (var cache in plan.Recipe.Caches)
            {
                var host = probe.CacheHostPath(cache);
                Directory.CreateDirectory(host);
                mounts.Add(new SandboxMount(host, cache.SandboxPath, ReadOnly: false));
            }

            mounts.Add(new SandboxMount(Directory.CreateDirectory(Path.Combine(staging.Root, "results")).FullName, TestRunnerDetector.ResultsPath, ReadOnly: false));
            mounts.AddRange(SystemMounts.ReadOnlyExtras());
            var options = new SandboxOptions
            {
                Network = true,
                Mounts = mounts,
                Environment = plan.Recipe.Environment,
                DefaultTimeout = SetupTimeout,
                MemoryLimitBytes = 8L << 30,
            };

            // Setup runs in a git repository, as in a CI checkout: installers of git hooks (husky, lefthook) run by a
            // package's 'prepare' script fail outside one. The repository is empty and removed afterwards.
            var madeGit = !Directory.Exists(Path.Combine(staging.TreePath, ".git")) && !File.Exists(Path.Combine(staging.TreePath, ".git"));
            if (madeGit)
            {
                await Git.RunAsync(staging.TreePath, ["init", "-q"], cancellationToken).ConfigureAwait(false);
            }

            var steps = new List<PreparationStep>();
            await using (var sandbox = await _sandboxes.CreateAsync(staging.TreePath, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var command in plan.Recipe.SetupCommands)
                {
                    var (step, output) = await RunStepAsync(sandbox, command, null, cancellationToken).ConfigureAwait(false);
                    if (step.ExitCode != 0 && !step.TimedOut
                        && plan.Recipe.SetupRetries.FirstOrDefault(r => r.Command == command && output.Contains(r.WhenOutputContains, StringComparison.Ordinal)) is { } retry)
                    {
                        steps.Add(step);
                        (step, output) = await RunStepAsync(sandbox, retry.RetryCommand, retry.Reason, cancellationToken).ConfigureAwait(false);
                    }

                    steps.Add(step);
                    if (step.ExitCode != 0)
                    {
                        throw new EnvironmentPreparationException(step, output);
                    }
                }
            }

            if (madeGit)
            {
                TreeCopier.DeleteTree(Path.Combine(staging.TreePath, ".git"));
            }

            foreach (var scratch in plan.Recipe.ScratchDirectories)
            {
                Directory.CreateDirectory(Path.Combine(staging.TreePath, scratch));
            }

            var tree = Path.Combine(directory, "tree");
            if (Directory.Exists(tree))
            {
                Directory.Delete(tree, recursive: true);
            }

            Directory.Move(staging.TreePath, tree);
            var record = new PreparationRecord { Commit = snapshot.Commit, RecipeHash = hash, Steps = steps };
            await AtomicFile.WriteAllTextAsync(marker, JsonSerializer.Serialize(record, TestingJsonContext.Default.PreparationRecord), cancellationToken).ConfigureAwait(false);
            return Result(steps, reused: false);
        }
        finally
        {
            await staging.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<(PreparationStep Step, string Output)> RunStepAsync(ISandbox sandbox, string command, string? note, CancellationToken cancellationToken)
    {
        OnStep?.Invoke(note is null ? command : $"{command} ({note})");
        var result = await sandbox.ExecAsync(ExecRequest.Shell("exec 2>&1\n" + command), cancellationToken).ConfigureAwait(false);
        var step = new PreparationStep
        {
            Command = command,
            ExitCode = result.ExitCode,
            TimedOut = result.TimedOut,
            DurationMs = Math.Round(result.Duration.TotalMilliseconds, 1),
            OutputTail = Tail(result.Stdout, 4000),
            Note = note,
        };
        return (step, result.Stdout);
    }

    private static PreparationRecord? TryLoad(string marker)
    {
        if (!File.Exists(marker))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(marker), TestingJsonContext.Default.PreparationRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string RecipeHash(EnvironmentRecipe recipe)
    {
        var text = new StringBuilder();
        foreach (var command in recipe.SetupCommands)
        {
            text.Append("setup\0").Append(command).Append('\n');
        }

        foreach (var retry in recipe.SetupRetries)
        {
            text.Append("retry\0").Append(retry.Command).Append('\0').Append(retry.WhenOutputContains).Append('\0').Append(retry.RetryCommand).Append('\n');
        }

        foreach (var dir in recipe.SharedDirectories)
        {
            text.Append("shared\0").Append(dir).Append('\n');
        }

        foreach (var dir in recipe.ScratchDirectories)
        {
            text.Append("scratch\0").Append(dir).Append('\n');
        }

        foreach (var cache in recipe.Caches)
        {
            text.Append("cache\0").Append(cache.Name).Append('\0').Append(cache.SandboxPath).Append('\0').Append(cache.Scope).Append('\n');
        }

        foreach (var (key, value) in recipe.Environment.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("env\0").Append(key).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
