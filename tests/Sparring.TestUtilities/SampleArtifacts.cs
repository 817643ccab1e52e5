using Sparring.Artifacts;
using Sparring.Testing;

namespace Sparring.TestUtilities;

/// <summary>
/// Valid bug artifacts for the bundled samples, made from real history: the bug is the reverse of the
/// source part of a commit that fixed a bug, and the weakening removes the regression tests that commit
/// added (the reverse of its test part). The script and parser are the sample's detected ones.
/// </summary>
public static class SampleArtifacts
{
    /// <summary>The last bug-fix commit of each sample (its reverse applies on HEAD).</summary>
    public static IReadOnlyDictionary<string, string> FixCommits { get; } = new Dictionary<string, string>
    {
        [Samples.Python] = "c71f695db5",
        [Samples.Go] = "d431b6ed8c",
        [Samples.JavaScript] = "ab096e0",
        [Samples.CSharp] = "3869691",
    };

    /// <summary>The valid order-1 artifact of a sample, with a built-in parser.</summary>
    public static BugArtifact For(string sample)
    {
        var path = Samples.Path(sample);
        var fix = FixCommits[sample];
        var changed = TempGitRepo.RunGit(path, ["diff", "--name-only", fix + "^", fix]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tests = changed.Where(TestPaths.LooksLikeTest).ToArray();
        var sources = changed.Except(tests).ToArray();
        var plan = TestRunnerDetector.Detect(path);
        return new BugArtifact
        {
            BugInjectDiff = TempGitRepo.RunGit(path, ["diff", fix, fix + "^", "--", .. sources]),
            TestWeakenDiff = TempGitRepo.RunGit(path, ["diff", fix, fix + "^", "--", .. tests]),
            TestFiles = TempGitRepo.RunGit(path, ["ls-files"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(TestPaths.LooksLikeTest).ToList(),
            TestScript = "#!/bin/bash\n" + plan.Command.Command + "\n",
            Metadata = new ArtifactMetadata { Id = $"{sample}-{fix}", Strategy = "history", Parser = plan.Command.Parser },
        };
    }

    /// <summary>The same artifact with the SSR parser-script protocol instead of a built-in parser (pytest's -rA lines).</summary>
    public static BugArtifact WithParserScript(BugArtifact artifact) => artifact with
    {
        TestParser = """
            import json, re, sys
            results = {}
            for line in sys.stdin:
                m = re.match(r"^(PASSED|FAILED|ERROR) (\S+)", line)
                if m:
                    results[m.group(2)] = "passed" if m.group(1) == "PASSED" else "failed"
            print(json.dumps(results))
            """,
        Metadata = artifact.Metadata with { Parser = null },
    };
}
