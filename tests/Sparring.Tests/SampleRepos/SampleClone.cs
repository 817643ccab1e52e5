using Sparring.TestUtilities;

namespace Sparring.Tests.SampleRepos;

/// <summary>
/// A throwaway clone of a sample for writing diffs: edit files, then <see cref="Diff"/> returns the staged
/// <c>git diff</c> of the edits (as an injector would produce it) and commits them, so the next diff builds on them.
/// </summary>
internal sealed class SampleClone : IDisposable
{
    private readonly TempDirectory _directory = new("sparring-clone-");

    public SampleClone(string sample)
    {
        TempGitRepo.RunGit(_directory.Path, ["clone", "--quiet", Samples.Path(sample), "repo"]);
    }

    public string Path => System.IO.Path.Combine(_directory.Path, "repo");

    public SampleClone Apply(string diff)
    {
        var patch = System.IO.Path.Combine(_directory.Path, "patch.diff");
        File.WriteAllText(patch, diff);
        TempGitRepo.RunGit(Path, ["apply", patch]);
        return this;
    }

    /// <summary>Replaces one exact occurrence of <paramref name="from"/> in a file.</summary>
    public SampleClone Replace(string relativePath, string from, string to)
    {
        var file = System.IO.Path.Combine(Path, relativePath);
        var text = File.ReadAllText(file);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(from, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"'{from}' does not occur exactly once in {relativePath}.");
        }

        File.WriteAllText(file, text[..at] + to + text[(at + from.Length)..]);
        return this;
    }

    public SampleClone Append(string relativePath, string text)
    {
        File.AppendAllText(System.IO.Path.Combine(Path, relativePath), text);
        return this;
    }

    public string Diff()
    {
        TempGitRepo.RunGit(Path, ["add", "--all"]);
        var diff = TempGitRepo.RunGit(Path, ["diff", "--cached"]);
        TempGitRepo.RunGit(Path, ["commit", "--quiet", "--allow-empty", "-m", "step"]);
        return diff;
    }

    public void Dispose() => _directory.Dispose();
}
