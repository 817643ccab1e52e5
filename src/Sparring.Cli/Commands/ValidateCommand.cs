using System.CommandLine;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring validate REPO ARTIFACT</c>: the consistency checks of spec §1.3, with a report.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "The repository the artifact was made for." };
        var artifactDir = new Argument<string>("artifact") { Description = "The artifact directory (bug_inject.diff, test_weaken.diff, test_files.txt, test_script.sh, test_parser.py or a parser in metadata.json)." };
        var all = new Option<bool>("--all") { Description = "Run every check instead of stopping at the first failure." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON on stdout." };
        var commit = new Option<string?>("--commit") { Description = "Commit the diffs apply to (default: metadata.json's baseCommit, else HEAD)." };
        var minFiles = new Option<int>("--min-changed-files") { Description = "Source files bug_inject.diff must change.", DefaultValueFactory = _ => 1 };
        var minPassing = new Option<int>("--min-passing-tests") { Description = "Tests that must pass on the original.", DefaultValueFactory = _ => 1 };
        var minFailing = new Option<int>("--min-failing-tests") { Description = "Baseline-passing tests the bug must break.", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "Test-suite runs at once.", DefaultValueFactory = _ => 2 };
        var timeout = EnvironmentCommandOptions.TimeoutOption("one run of test_script.sh", 300);
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var environment = new EnvironmentCommandOptions();
        var command = new Command("validate", "Run the SSR consistency checks on a bug artifact, in sandboxes, and print a report naming each check, its verdict and its evidence.")
        {
            repo, artifactDir, all, json, commit, minFiles, minPassing, minFailing, parallel, timeout, noInstall,
        };
        foreach (var option in environment.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var overrides = environment.Overrides(result);
            var options = new ValidationOptions
            {
                StopAtFirstFailure = !result.GetValue(all),
                MinChangedFiles = result.GetValue(minFiles),
                MinPassingTests = result.GetValue(minPassing),
                MinFailingTests = result.GetValue(minFailing),
                MaxParallelRuns = result.GetValue(parallel),
            }.Validate();
            var artifact = await LoadArtifactAsync(result.GetValue(artifactDir)!, cancellationToken).ConfigureAwait(false);
            var prepared = await RepositoryEnvironment.PrepareAsync(console, result, environment, overrides, result.GetValue(repo)!, result.GetValue(commit) ?? artifact.Metadata.BaseCommit, !result.GetValue(noInstall), cancellationToken).ConfigureAwait(false);
            options = options with { ScriptTimeout = EnvironmentCommandOptions.RunTimeout(result, timeout, prepared.Settings, 300) };
            var validator = new ArtifactValidator(prepared.Sandboxes, options)
            {
                OnCheck = check => console.Error.WriteLine($"sparring: {check.Name}: {(check.Passed ? "passed" : "FAILED")}"),
            };
            var report = await validator.ValidateAsync(prepared.Environment, artifact, cancellationToken).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, ArtifactsJsonContext.Default.ValidationReport)).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, artifact, report).ConfigureAwait(false);
            }

            return report.Valid ? ExitCodes.Success : ExitCodes.TestsFailed;
        }));
        return command;
    }

    /// <summary>A malformed artifact is bad input (exit 2), not a suite that did not run.</summary>
    internal static async Task<BugArtifact> LoadArtifactAsync(string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await BugArtifactFiles.LoadAsync(directory, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }

    private static async Task PrintAsync(TextWriter output, BugArtifact artifact, ValidationReport report)
    {
        await output.WriteLineAsync($"artifact    {artifact.Metadata.Id} (strategy {artifact.Metadata.Strategy}, order {artifact.Metadata.Order})").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        foreach (var check in report.Checks)
        {
            await output.WriteLineAsync($"{(check.Passed ? "passed" : "FAILED"),-7} {check.Name,-19} {check.Evidence}").ConfigureAwait(false);
        }

        foreach (var skipped in ValidationChecks.All.Skip(report.Checks.Count))
        {
            await output.WriteLineAsync($"{"-",-7} {skipped,-19} not run (an earlier check failed; --all runs every check)").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(report.Valid ? "VALID" : $"REJECTED by {report.FailedCheck}").ConfigureAwait(false);
        await output.WriteLineAsync($"{report.TestRuns} test-suite run(s), {report.DurationMs.GetValueOrDefault() / 1000:0.0} s").ConfigureAwait(false);
    }
}
