using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Solving;

public sealed partial class MutationSearchSolver
{
    /// <summary>Where the runs every attempt at a bug makes alike are kept, in the environment's directory.</summary>
    internal const string KeptRunsFolder = "solver-runs";

    /// <summary>
    /// A run every attempt at one bug makes alike: the whole suite on the solver's tree with the restored tests (the
    /// first run), or a script on that tree with one candidate edit. Kept in the environment's directory under a key of
    /// everything that makes the tree, the script and its time limit, so attempts after the first read it instead of running it again.
    /// It still counts as one of their test runs, so an attempt's search is the same either way. A run that timed out
    /// or did not run is not kept (it says as much about the machine).
    /// </summary>
    /// <param name="runner">Runs the artifact's script, or a narrowed one, in <paramref name="probe"/>.</param>
    /// <param name="probe">The solver's tree with the restored tests, and the edit when there is one.</param>
    /// <param name="restoredTests">The restored tests' diff.</param>
    /// <param name="edit">The candidate edit in the tree: its path and the file's edited text; null for none.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    private static async Task<TestRun> RunOnceAsync(ArtifactTestRunner runner, Workspace probe, string restoredTests, (string Path, string Text)? edit, CancellationToken cancellationToken)
    {
        var artifact = runner.Artifact;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
            "\0",
            artifact.BugInjectDiff, artifact.TestWeakenDiff, artifact.PredPatch ?? "", artifact.Metadata.Order.ToString(CultureInfo.InvariantCulture),
            artifact.TestScript, artifact.Metadata.Parser ?? "", artifact.TestParser ?? "", restoredTests, edit?.Path ?? "", edit?.Text ?? "",
            runner.ScriptTimeout.Ticks.ToString(CultureInfo.InvariantCulture)))))[..16];
        var path = Path.Combine(runner.Environment.Directory, KeptRunsFolder, key);
        // The log is not part of a run's JSON. The fault localisation reads the first run's; an edit's run is judged by
        // its results alone, so its log (a suite's whole output, for each of many edits) is not kept.
        var withLog = edit is null;
        if (File.Exists(path + ".json") && (!withLog || File.Exists(path + ".log")))
        {
            try
            {
                if (JsonSerializer.Deserialize(await File.ReadAllTextAsync(path + ".json", cancellationToken).ConfigureAwait(false), TestingJsonContext.Default.TestRun) is { } cached)
                {
                    return cached with { Log = withLog ? await File.ReadAllTextAsync(path + ".log", cancellationToken).ConfigureAwait(false) : "" };
                }
            }
            catch (JsonException)
            {
                // A damaged entry is run again.
            }
        }

        var run = await runner.RunAsync(probe, cancellationToken).ConfigureAwait(false);
        if (!run.TimedOut && run.SuiteRan)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (withLog)
            {
                await AtomicFile.WriteAllTextAsync(path + ".log", run.Log, cancellationToken).ConfigureAwait(false);
            }

            await AtomicFile.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(run, TestingJsonContext.Default.TestRun), cancellationToken).ConfigureAwait(false);
        }

        return run;
    }
}
