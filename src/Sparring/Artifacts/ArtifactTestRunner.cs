using Sparring.Internal;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Artifacts;

/// <summary>
/// Runs an artifact's <c>test_script.sh</c> through its parser in a workspace of a prepared environment.
/// The script and parser sit outside the workspace, mounted read-only at <see cref="ArtifactMountPath"/>,
/// so nothing a solver writes can change them.
/// </summary>
public sealed class ArtifactTestRunner
{
    /// <summary>Where the artifact's files appear inside the sandbox.</summary>
    public const string ArtifactMountPath = "/sparring/artifact";

    private readonly ISandboxProvider _sandboxes;

    public ArtifactTestRunner(ISandboxProvider sandboxes, PreparedEnvironment environment, BugArtifact artifact)
    {
        _sandboxes = sandboxes;
        Environment = environment;
        Artifact = artifact;
    }

    public PreparedEnvironment Environment { get; }

    public BugArtifact Artifact { get; }

    /// <summary>Limit for one run of the script (the SSR prompts ask for under 90 s; slow builds get more).</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Limits of each run's sandbox.</summary>
    public SandboxOptions SandboxLimits { get; init; } = new();

    /// <summary>A fresh workspace of the original tree.</summary>
    public Task<Workspace> CreateWorkspaceAsync(CancellationToken cancellationToken = default) =>
        TestRunner.CreateWorkspaceAsync(Environment, cancellationToken);

    /// <summary>Runs the script in <paramref name="workspace"/> and parses its log.</summary>
    public async Task<TestRun> RunAsync(Workspace workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var files = workspace.StateDirectory("artifact");
        await File.WriteAllTextAsync(Path.Combine(files, BugArtifactFiles.TestScript), Artifact.TestScript, cancellationToken).ConfigureAwait(false);
        string parser;
        if (Artifact.Metadata.Parser is { } builtIn)
        {
            parser = builtIn;
        }
        else
        {
            var parserPath = Path.Combine(files, BugArtifactFiles.TestParser);
            await File.WriteAllTextAsync(parserPath, Artifact.TestParser, cancellationToken).ConfigureAwait(false);
            parser = "script:" + parserPath;
        }

        var runner = new TestRunner(_sandboxes)
        {
            SandboxLimits = SandboxLimits with { Mounts = [.. SandboxLimits.Mounts, new SandboxMount(files, ArtifactMountPath, ReadOnly: true)] },
        };
        var command = new TestCommand { Command = $"bash {ArtifactMountPath}/{BugArtifactFiles.TestScript}", Parser = parser, Timeout = ScriptTimeout };
        return await runner.RunInWorkspaceAsync(Environment, workspace, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run on the untouched original tree, computed once per environment, script and parser and kept
    /// in the environment's directory, so validating and grading many bugs of one repository pay for it once.
    /// A run that timed out, did not run or passed no test is not kept.
    /// </summary>
    public async Task<(TestRun Run, bool Reused)> BaselineAsync(CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            Artifact.TestScript + "\0" + (Artifact.Metadata.Parser ?? "") + "\0" + (Artifact.TestParser ?? ""))))[..16];
        var path = Path.Combine(Environment.Directory, "baselines", key + ".json");
        if (File.Exists(path))
        {
            try
            {
                var cached = JsonSerializer.Deserialize(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), TestingJsonContext.Default.TestRun);
                if (cached is not null)
                {
                    return (cached, true);
                }
            }
            catch (JsonException)
            {
                // A damaged cache entry is recomputed.
            }
        }

        await using var workspace = await CreateWorkspaceAsync(cancellationToken).ConfigureAwait(false);
        var run = await RunAsync(workspace, cancellationToken).ConfigureAwait(false);
        if (run.TimedOut || !run.SuiteRan || run.Counts.Passed == 0)
        {
            // A timeout says as much about the machine's load and this runner's limit as about the script:
            // kept, it would reject every later artifact with this script, whatever their limit. A suite that does
            // not run mostly lacks something on the machine (a package, a toolchain): kept, it would be refused
            // again after the user installed what the diagnosis asked for.
            return (run, false);
        }

        await AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(run, TestingJsonContext.Default.TestRun), cancellationToken).ConfigureAwait(false);
        return (run, false);
    }
}
