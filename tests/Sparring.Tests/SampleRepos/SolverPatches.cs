using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Testing;

namespace Sparring.Tests.SampleRepos;

/// <summary>Patches made the way a solver makes them: edit the solver's tree, then <c>git diff</c> (new and deleted files included).</summary>
internal static class SolverPatches
{
    public static async Task<string> MakeAsync(PreparedEnvironment environment, BugArtifact artifact, Func<string, Task> edit)
    {
        await using var task = await SolverTaskBuilder.BuildAsync(environment, artifact);
        await edit(task.TreePath);
        TempGitRepo.RunGit(task.TreePath, ["add", "--all"]);
        return TempGitRepo.RunGit(task.TreePath, ["diff", "--cached", "--binary"]);
    }

    /// <summary>The real fix: undo bug_inject.diff in the solver's tree.</summary>
    public static Task<string> CorrectFixAsync(PreparedEnvironment environment, BugArtifact artifact) =>
        MakeAsync(environment, artifact, tree => DiffApplier.ApplyAsync(tree, artifact.BugInjectDiff, reverse: true));

    /// <summary>The real fix plus more edits.</summary>
    public static Task<string> CorrectFixAndAsync(PreparedEnvironment environment, BugArtifact artifact, Func<string, Task> more) =>
        MakeAsync(environment, artifact, async tree =>
        {
            await DiffApplier.ApplyAsync(tree, artifact.BugInjectDiff, reverse: true);
            await more(tree);
        });

    /// <summary>Writes a file relative to a tree, creating its directory.</summary>
    public static Task WriteAsync(string tree, string path, string content)
    {
        var full = Path.Combine(tree, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return File.WriteAllTextAsync(full, content);
    }
}
