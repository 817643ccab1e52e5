using Sparring.Artifacts;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary>
/// The Python sample's valid artifact in a folder, with one more line in test_files.txt naming a host file outside the
/// repository (a <see cref="Sentinel"/>): by <c>parent</c> (../../NAME from a workspace's tree, the red team's path),
/// <c>absolute</c>, or <c>link</c> (a file under tests/fixtures, which a clone of the sample links to the host folder).
/// </summary>
internal sealed class EscapingArtifact : IDisposable
{
    private readonly TempDirectory _work = new();

    private EscapingArtifact(string form)
    {
        Sentinel = form == "parent" ? Sentinel.BesideWorkspaces(TestCache.Root) : new Sentinel(Path.Combine(_work.Path, "outside"));
        (Repository, Line) = form switch
        {
            "parent" => (Samples.Path(Samples.Python), Sentinel.FromWorkspaceTree),
            "absolute" => (Samples.Path(Samples.Python), Sentinel.Path),
            "link" => (Sentinel.CloneWithLinkHere(Samples.Path(Samples.Python), Path.Combine(_work.Path, "repo"), "tests/fixtures"), "tests/fixtures/" + Sentinel.Name),
            _ => throw new ArgumentException($"unknown form '{form}'", nameof(form)),
        };
    }

    public Sentinel Sentinel { get; }

    /// <summary>The repository to name on the command line (the sample, or the clone with the link).</summary>
    public string Repository { get; }

    /// <summary>The line test_files.txt gained.</summary>
    public string Line { get; }

    public string ArtifactDirectory => Path.Combine(_work.Path, "artifact");

    /// <summary>A scratch folder of the test's own (deleted with it).</summary>
    public string Work => _work.Path;

    public static async Task<EscapingArtifact> CreateAsync(string form)
    {
        var escaping = new EscapingArtifact(form);
        var valid = SampleArtifacts.For(Samples.Python);
        await BugArtifactFiles.SaveAsync(valid with { TestFiles = [.. valid.TestFiles, escaping.Line] }, escaping.ArtifactDirectory);
        return escaping;
    }

    /// <summary>What a verb must say: exit 2 and one line on stderr naming the path and why, nothing on the host touched.</summary>
    public void AssertRefused(CliOutcome outcome)
    {
        Assert.True(outcome.ExitCode == 2, outcome.Stderr);
        var error = Assert.Single(outcome.Stderr.Split('\n'), l => l.StartsWith("sparring: error:", StringComparison.Ordinal));
        Assert.Contains($"test_files.txt", error, StringComparison.Ordinal);
        Assert.Contains($"names '{Line}', which Sparring refuses to use: ", error, StringComparison.Ordinal);
        Assert.True(Sentinel.Untouched);
    }

    public void Dispose()
    {
        Sentinel.Dispose();
        _work.Dispose();
    }
}
