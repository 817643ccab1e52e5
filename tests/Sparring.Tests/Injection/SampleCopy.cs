using Sparring.TestUtilities;

namespace Sparring.Tests.Injection;

/// <summary>A throwaway clone of a sample.</summary>
internal sealed class SampleCopy : IDisposable
{
    private readonly TempDirectory _directory = new("sparring-copy-");

    public SampleCopy(string sample)
    {
        TempGitRepo.RunGit(_directory.Path, ["clone", "--quiet", Samples.Path(sample), "repo"]);
    }

    public string Path => System.IO.Path.Combine(_directory.Path, "repo");

    public string Scratch => _directory.Path;

    public void Dispose() => _directory.Dispose();
}
