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
    /// <summary>
    /// The whole suite's run on the solver's tree with the restored tests, which every attempt at one bug makes alike:
    /// kept in the environment's directory by everything that makes that tree and runs it, so the attempts after the
    /// first read it instead of running it again. It still counts as one of their test runs, so an attempt's search
    /// is the same either way. A run that timed out or did not run is not kept (it says as much about the machine).
    /// </summary>
    private static async Task<TestRun> DiagnoseAsync(ArtifactTestRunner runner, Workspace probe, string restoredTests, CancellationToken cancellationToken)
    {
        var artifact = runner.Artifact;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(
            "\0",
            artifact.BugInjectDiff, artifact.TestWeakenDiff, artifact.PredPatch ?? "", artifact.Metadata.Order.ToString(CultureInfo.InvariantCulture),
            artifact.TestScript, artifact.Metadata.Parser ?? "", artifact.TestParser ?? "", restoredTests))))[..16];
        var path = Path.Combine(runner.Environment.Directory, "diagnoses", key);
        if (File.Exists(path + ".json") && File.Exists(path + ".log"))
        {
            try
            {
                // The log is not part of a run's JSON; the fault localisation reads it.
                if (JsonSerializer.Deserialize(await File.ReadAllTextAsync(path + ".json", cancellationToken).ConfigureAwait(false), TestingJsonContext.Default.TestRun) is { } cached)
                {
                    return cached with { Log = await File.ReadAllTextAsync(path + ".log", cancellationToken).ConfigureAwait(false) };
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
            await AtomicFile.WriteAllTextAsync(path + ".log", run.Log, cancellationToken).ConfigureAwait(false);
            await AtomicFile.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(run, TestingJsonContext.Default.TestRun), cancellationToken).ConfigureAwait(false);
        }

        return run;
    }
}
