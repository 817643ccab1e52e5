using System.CommandLine;
using System.Text.Json;
using Sparring.SelfPlay;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring grade REPO ARTIFACT PATCH</c>: grades a solver's patch against a bug artifact (spec §1.4.5, hardened per §1.8).</summary>
internal static class GradeCommand
{
    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "The repository the artifact was made for." };
        var artifactDir = new Argument<string>("artifact") { Description = "The artifact directory (bug_inject.diff, test_weaken.diff, test_files.txt, test_script.sh, a parser; pred_patch.diff for order 2)." };
        var patchFile = new Argument<string>("patch") { Description = "The solver's patch: a unified diff against the solver's tree ('-' reads stdin)." };
        var json = new Option<bool>("--json") { Description = "Print the verdict as JSON on stdout (solved, reasons, notes, per-test results)." };
        var commit = new Option<string?>("--commit") { Description = "Commit the artifact's diffs apply to (default: metadata.json's baseCommit, else HEAD)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before one run of test_script.sh is killed.", DefaultValueFactory = _ => 300 };
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var workspaces = new WorkspaceCommandOptions();
        var command = new Command("grade", "Grade a solver's patch against a bug artifact: apply it, restore the tests, revert test infrastructure, run the artifact's tests in a sandbox. Exit 0 if solved, 1 if not.")
        {
            repo, artifactDir, patchFile, json, commit, timeout, noInstall, workspaces.DiskQuota,
        };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var path = result.GetValue(patchFile)!;
            var patch = path == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)
                : throw new FileNotFoundException($"The patch file '{path}' does not exist.", path);
            var artifact = await ValidateCommand.LoadArtifactAsync(result.GetValue(artifactDir)!, cancellationToken).ConfigureAwait(false);
            var options = new GradeOptions { ScriptTimeout = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(timeout))) }.Validate();
            var environment = await RepositoryEnvironment.PrepareAsync(console, result.GetValue(repo)!, result.GetValue(commit) ?? artifact.Metadata.BaseCommit, !result.GetValue(noInstall), workspaces.Options(result), cancellationToken).ConfigureAwait(false);
            GradeResult grade;
            try
            {
                grade = await new Grader(environment.Sandboxes, options).GradeAsync(environment.Environment, artifact, patch, cancellationToken).ConfigureAwait(false);
            }
            catch (ArtifactApplyException ex)
            {
                // The artifact, not the patch, is broken: a usage error, not a verdict.
                throw new ArgumentException(ex.Message, ex);
            }

            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(grade, SelfPlayJsonContext.Default.GradeResult)).ConfigureAwait(false);
            }
            else
            {
                await PrintAsync(console.Out, artifact, grade).ConfigureAwait(false);
            }

            return grade.Solved ? ExitCodes.Success : ExitCodes.TestsFailed;
        }));
        return command;
    }

    private static async Task PrintAsync(TextWriter output, BugArtifact artifact, GradeResult grade)
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
        await output.WriteLineAsync(grade.Solved ? "SOLVED" : "NOT SOLVED").ConfigureAwait(false);
        foreach (var reason in grade.Reasons)
        {
            await output.WriteLineAsync($"  - {reason}").ConfigureAwait(false);
        }
    }
}
