using System.CommandLine;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Grading;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring grade REPO ARTIFACT PATCH</c>: grades a solver's patch against a bug artifact (spec §1.4.5, hardened per §1.8).</summary>
internal static class GradeCommand
{
    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "The repository the artifact was made for." };
        var artifactDir = new Argument<string>("artifact") { Description = "The artifact directory (bug_inject.diff, test_weaken.diff, test_files.txt, test_script.sh, a parser; pred_patch.diff for order 2)." };
        var patchFile = new Argument<string>("patch") { Description = "The solver's patch: a unified diff against the solver's tree ('-' reads stdin)." };
        var json = new Option<bool>("--json") { Description = "Print the verdict as JSON on stdout (solved, outcome, tampered, reasons, notes, per-test results)." };
        var commit = new Option<string?>("--commit") { Description = "Commit the artifact's diffs apply to (default: metadata.json's baseCommit, else HEAD)." };
        var timeout = EnvironmentCommandOptions.TimeoutOption("one run of test_script.sh", 300);
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var environment = new EnvironmentCommandOptions();
        var command = new Command("grade", "Grade a solver's patch against a bug artifact: apply it, restore the tests, revert test infrastructure, run the artifact's tests in a sandbox. Exit 0 if solved, 1 if not (unsolved or tampered).")
        {
            repo, artifactDir, patchFile, json, commit, timeout, noInstall,
        };
        foreach (var option in environment.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var overrides = environment.Overrides(result);
            var path = result.GetValue(patchFile)!;
            var patch = path == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)
                : throw new FileNotFoundException($"The patch file '{path}' does not exist.", path);
            var artifact = await ValidateCommand.LoadArtifactAsync(result.GetValue(artifactDir)!, cancellationToken).ConfigureAwait(false);
            var prepared = await RepositoryEnvironment.PrepareAsync(console, result, environment, overrides, result.GetValue(repo)!, result.GetValue(commit) ?? artifact.Metadata.BaseCommit, !result.GetValue(noInstall), cancellationToken).ConfigureAwait(false);
            var options = new GradeOptions { ScriptTimeout = EnvironmentCommandOptions.RunTimeout(result, timeout, prepared.Settings, 300) }.Validate();
            GradeResult grade;
            try
            {
                grade = await new Grader(prepared.Sandboxes, options).GradeAsync(prepared.Environment, artifact, patch, cancellationToken).ConfigureAwait(false);
            }
            catch (ArtifactApplyException ex)
            {
                // The artifact, not the patch, is broken: a usage error, not a verdict.
                throw new ArgumentException(ex.Message, ex);
            }

            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(grade, GradingJsonContext.Default.GradeResult)).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, artifact, grade).ConfigureAwait(false);
            }

            // Tampered is a verdict on the patch like unsolved, not a failure to grade: exit 1, the output says which.
            return grade.Solved ? ExitCodes.Success : ExitCodes.TestsFailed;
        }));
        return command;
    }

    /// <summary>The verdict for people: what grading restored and removed, the failing tests, then the verdict line and its reasons.</summary>
    internal static async Task PrintAsync(TextWriter output, BugArtifact artifact, GradeResult grade)
    {
        await output.WriteLineAsync($"artifact    {artifact.Metadata.Id} (order {artifact.Metadata.Order})").ConfigureAwait(false);
        foreach (var path in grade.Restored)
        {
            await output.WriteLineAsync($"restored    {path}").ConfigureAwait(false);
        }

        foreach (var path in grade.Removed)
        {
            await output.WriteLineAsync($"removed     {path}").ConfigureAwait(false);
        }

        var passed = grade.Tests.Count(t => t.Passed);
        if (grade.Tests.Count > 0)
        {
            await output.WriteLineAsync($"tests       {passed} of {grade.Tests.Count} baseline-passing tests pass").ConfigureAwait(false);
            foreach (var test in grade.Tests.Where(t => !t.Passed).Take(20))
            {
                await output.WriteLineAsync($"  {test.Status,-8} {test.Id}{(test.ReportStatus is { } r && r != test.Status ? $" (report: {r})" : "")}").ConfigureAwait(false);
            }
        }

        foreach (var note in grade.Notes)
        {
            await output.WriteLineAsync($"note        {note}").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(Verdict(grade.Outcome)).ConfigureAwait(false);
        foreach (var reason in grade.Reasons)
        {
            await output.WriteLineAsync($"  - {reason}").ConfigureAwait(false);
        }
    }

    /// <summary>The verdict line: <c>SOLVED</c>, <c>NOT SOLVED</c>, or <c>TAMPERED</c> (not solved: the patch falsified the test results).</summary>
    private static string Verdict(GradeOutcome outcome) =>
        outcome == GradeOutcome.Solved ? "SOLVED" : outcome == GradeOutcome.Tampered ? "TAMPERED (not solved)" : "NOT SOLVED";
}
