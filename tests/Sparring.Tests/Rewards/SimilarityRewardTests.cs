using System.Diagnostics;
using System.Text.Json;
using Sparring.Artifacts;
using Sparring.Repos;
using Sparring.Rewards;
using Sparring.TestUtilities;

namespace Sparring.Tests.Rewards;

/// <summary>SWE-RL's similarity reward of a solver's patch on a bug artifact: real diffs, real git, hostile patches.</summary>
public sealed class SimilarityRewardTests
{
    private const string Original = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";
    private const string Broken = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n";

    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    [InlineData(Samples.JavaScript)]
    [InlineData(Samples.CSharp)]
    public async Task ScoreAsync_TheOraclePatchOnASample_ScoresOne(string sample)
    {
        // Arrange: the exact fix is the sample's fix commit's source change, the bug's diff reversed.
        var artifact = SampleArtifacts.For(sample);
        var path = Samples.Path(sample);
        var head = TempGitRepo.RunGit(path, ["rev-parse", "HEAD"]).Trim();
        var fix = SampleArtifacts.FixCommits[sample];
        var sources = TempGitRepo.RunGit(path, ["diff", "--name-only", fix + "^", fix]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(p => !Sparring.Testing.TestPaths.LooksLikeTest(p));
        var oracle = TempGitRepo.RunGit(path, ["diff", fix + "^", fix, "--", .. sources]);

        // Act
        var fromCommit = await SimilarityReward.ScoreAsync(artifact, oracle, SimilarityReward.FromCommit(path, head));
        var fromTree = await SimilarityReward.ScoreAsync(artifact, oracle, SimilarityReward.FromTree(path));

        // Assert
        Assert.Null(fromCommit.Problem);
        Assert.Equal(1.0, fromCommit.Reward);
        Assert.Equal(fromCommit, fromTree with { Files = fromCommit.Files });
        Assert.NotEmpty(fromCommit.Files);
    }

    [Fact]
    public async Task ScoreAsync_APartialFix_EqualsPythonsDifflibOnSweRlsNormalisedPatches()
    {
        // Arrange: the fix changes the right function to a near-right answer, and touches a file the oracle does not.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        repo.Write("calc.py", Broken.Replace("return a - b\n\n\ndef sub", "return b + a\n\n\ndef sub", StringComparison.Ordinal)).Write("notes.txt", "why\n");
        repo.Git("add", "-N", "notes.txt");
        var patch = repo.Git("diff");
        var expected = await PythonRewardAsync(Broken, Original, Broken.Replace("return a - b\n\n\ndef sub", "return b + a\n\n\ndef sub", StringComparison.Ordinal));

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert: calc.py scores Python's ratio; notes.txt, which only the prediction changes, scores 0; the mean of both.
        Assert.Null(result.Problem);
        Assert.Equal(["calc.py", "notes.txt"], result.Files.Select(f => f.Path));
        Assert.Equal(expected, result.Files[0].Similarity, 12);
        Assert.Equal(0, result.Files[1].Similarity);
        Assert.Equal(expected / 2, result.Reward, 12);
        Assert.InRange(result.Reward, 0.01, 0.99);
    }

    [Theory]
    [InlineData("", "no patch")]
    [InlineData("   \n", "no patch")]
    [InlineData("this is not a diff\n", "not a diff git can read")]
    [InlineData("--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def nothing():\n-    pass\n+    return 1\n", "does not apply")]
    [InlineData("diff --git a/test_calc.py b/test_calc.py\n--- a/test_calc.py\n+++ b/test_calc.py\n@@ -1 +1 @@\n-from calc import nothing\n+from calc import sub\n", "does not apply")]
    public async Task ScoreAsync_AMalformedPatch_ScoresMinusOneWithTheReason(string patch, string reason)
    {
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Equal(PatchSimilarity.Malformed, result.Reward);
        Assert.Contains(reason, result.Problem, StringComparison.Ordinal);
        Assert.Empty(result.Files);
    }

    [Fact]
    public async Task ScoreAsync_TheExactFixPlusATestEdit_TheTestFileIsInTheSolversTreeAndScoresZero()
    {
        // Arrange: listed test files stay in the solver's tree (grading restores them), so editing one applies.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        repo.Write("calc.py", Original).Write("test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(2, 2) == 4\n");
        var patch = repo.Git("diff");

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Null(result.Problem);
        Assert.Equal([("calc.py", 1.0), ("test_calc.py", 0.0)], result.Files.Select(f => (f.Path, f.Similarity)));
        Assert.Equal(0.5, result.Reward);
    }

    [Fact]
    public async Task ScoreAsync_AFileWithAByteOrderMark_TheExactFixStillScoresOne()
    {
        // Arrange: the bug's diff carries the mark in its context; a copy as text would drop it and the diff would not apply.
        using var repo = new TempGitRepo();
        var bom = "\uFEFF";
        repo.Write("calc.py", bom + Original);
        var original = repo.Commit("original");
        repo.Write("calc.py", bom + Broken);
        var bug = repo.Git("diff");
        repo.Git("commit", "-qam", "broken");
        var artifact = new BugArtifact { BugInjectDiff = bug, TestWeakenDiff = "", TestFiles = [], TestScript = "#!/bin/bash\ntrue\n", Metadata = new ArtifactMetadata { Id = "bom", Strategy = "removal" } };
        var fix = DiffOf(repo, bom + Broken, bom + Original);

        // Act
        var fromCommit = await SimilarityReward.ScoreAsync(artifact, fix, SimilarityReward.FromCommit(repo.Path, original));
        repo.Git("checkout", "-q", original);
        var fromTree = await SimilarityReward.ScoreAsync(artifact, fix, SimilarityReward.FromTree(repo.Path));

        // Assert
        Assert.Equal((1.0, (string?)null), (fromCommit.Reward, fromCommit.Problem));
        Assert.Equal((1.0, (string?)null), (fromTree.Reward, fromTree.Problem));
    }

    [Fact]
    public async Task ScoreAsync_ABinaryPatch_IsMalformedWithoutApplyingIt()
    {
        // Arrange: a literal binary patch (git's own format) for a new file.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        File.WriteAllBytes(Path.Combine(repo.Path, "blob.bin"), [0, 1, 2, 0, 255, 0]);
        repo.Git("add", "-N", "blob.bin");
        var patch = repo.Git("diff", "--binary");

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Contains("GIT binary patch", patch, StringComparison.Ordinal);
        Assert.Equal(PatchSimilarity.Malformed, result.Reward);
        Assert.Contains("binary file", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_APatchThroughALinkOfTheRepositoryLeadingOut_IsMalformedNotAnError()
    {
        // Arrange: the repository itself holds a link to a host file, and the patch deletes it.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out _);
        File.CreateSymbolicLink(Path.Combine(repo.Path, "LICENSE"), "/etc/hostname");
        const string Patch = "diff --git a/LICENSE b/LICENSE\ndeleted file mode 120000\n--- a/LICENSE\n+++ /dev/null\n@@ -1 +0,0 @@\n-/etc/hostname\n\\ No newline at end of file\n";

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, Patch, SimilarityReward.FromTree(repo.Path));

        // Assert
        Assert.Equal(PatchSimilarity.Malformed, result.Reward);
        Assert.Contains("leads out of the repository", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_APatchOutOfTheTree_IsMalformedAndWritesNothing()
    {
        // Arrange
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        const string Patch = "diff --git a/../escape.py b/../escape.py\nnew file mode 100644\n--- /dev/null\n+++ b/../escape.py\n@@ -0,0 +1 @@\n+x = 1\n";

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, Patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Equal(PatchSimilarity.Malformed, result.Reward);
        Assert.NotNull(result.Problem);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escape.py")));
    }

    [Fact]
    public async Task ScoreAsync_APatchThatMakesALinkOutOfTheTree_IsMalformedAndReadsNothingThroughIt()
    {
        // Arrange: the patch replaces calc.py by a symbolic link to a host file.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        const string Patch = "diff --git a/leak.py b/leak.py\nnew file mode 120000\n--- /dev/null\n+++ b/leak.py\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n";

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, Patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Equal(PatchSimilarity.Malformed, result.Reward);
        Assert.Contains("unsafe", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_APatchThatChangesNothingNet_IsMalformed()
    {
        // Arrange: a patch that adds a file and the same patch's reverse cannot be given in one diff; one that rewrites a
        // line to itself is refused by git, so a patch creating an empty file is the net-nothing change.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        const string Patch = "diff --git a/empty.txt b/empty.txt\nnew file mode 100644\nindex 0000000..e69de29\n";

        // Act
        var result = await SimilarityReward.ScoreAsync(artifact, Patch, SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Equal(PatchSimilarity.Malformed, result.Reward);
        Assert.Equal("the prediction changes nothing", result.Problem);
    }

    [Fact]
    public async Task ScoreAsync_AnOrderTwoArtifact_ScoresAgainstTheOriginalFromTheFailedAttemptsTree()
    {
        // Arrange: a failed attempt's patch is part of the broken tree; the oracle restores the original from there.
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out var original);
        var failed = Broken.Replace("return a * b", "return a ** b", StringComparison.Ordinal);
        var attempt = DiffOf(repo, Broken, failed);
        var orderTwo = artifact with { PredPatch = attempt, Metadata = artifact.Metadata with { Order = 2 } };

        // Act: the exact fix from the order-2 tree, and a fix of the bug alone, which leaves the attempt's change.
        var exact = await SimilarityReward.ScoreAsync(orderTwo, DiffOf(repo, failed, Original), SimilarityReward.FromCommit(repo.Path, original));
        var partial = await SimilarityReward.ScoreAsync(orderTwo, DiffOf(repo, failed, failed.Replace("return a - b\n\n\ndef sub", "return a + b\n\n\ndef sub", StringComparison.Ordinal)), SimilarityReward.FromCommit(repo.Path, original));

        // Assert
        Assert.Equal(1.0, exact.Reward);
        Assert.InRange(partial.Reward, 0.01, 0.99);
    }

    [Fact]
    public async Task FromTree_AnArtifactPathThroughALinkOutOfTheTree_IsRefused()
    {
        // Arrange: the original tree has a link to a host folder, and the artifact names a file through it.
        using var tree = new TempDirectory("sparring-tree-");
        Directory.CreateSymbolicLink(Path.Combine(tree.Path, "lib"), "/etc");
        using var repo = new TempGitRepo();
        var artifact = Artifact(repo, out _) with
        {
            BugInjectDiff = "diff --git a/lib/hostname b/lib/hostname\n--- a/lib/hostname\n+++ b/lib/hostname\n@@ -1 +1 @@\n-x\n+y\n",
        };

        // Act + Assert
        await Assert.ThrowsAsync<UnsafePathException>(() => SimilarityReward.ScoreAsync(artifact, "diff --git a/a b/a\nnew file mode 100644\n--- /dev/null\n+++ b/a\n@@ -0,0 +1 @@\n+a\n", SimilarityReward.FromTree(tree.Path)));
    }

    /// <summary>A repository with calc.py at <paramref name="original"/> and an artifact whose bug turns add into a subtraction; the working tree is left broken.</summary>
    private static BugArtifact Artifact(TempGitRepo repo, out string original)
    {
        repo.Write("calc.py", Original).Write("test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n");
        original = repo.Commit("original");
        repo.Write("calc.py", Broken);
        var bug = repo.Git("diff");
        repo.Git("commit", "-qam", "broken");
        return new BugArtifact
        {
            BugInjectDiff = bug,
            TestWeakenDiff = "",
            TestFiles = ["test_calc.py"],
            TestScript = "#!/bin/bash\npython3 -m pytest\n",
            Metadata = new ArtifactMetadata { Id = "calc-add", Strategy = "removal" },
        };
    }

    /// <summary>The diff of calc.py from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static string DiffOf(TempGitRepo repo, string from, string to)
    {
        repo.Write("calc.py", from);
        repo.Git("add", "calc.py");
        repo.Write("calc.py", to);
        var diff = repo.Git("diff");
        repo.Git("reset", "-q", "--hard");
        return diff;
    }

    /// <summary>SWE-RL's reward of one file in Python: the ratio of the normalised predicted and oracle patches.</summary>
    private static async Task<double> PythonRewardAsync(string broken, string original, string predicted)
    {
        const string Script = """
            import difflib, json, sys
            d = json.load(sys.stdin)
            def n(old, new):
                lines = list(difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile="old", tofile="new", lineterm="", n=3))
                return "\n".join(lines[2:])
            print(json.dumps(difflib.SequenceMatcher(None, n(d["b"], d["p"]), n(d["b"], d["o"])).ratio()))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Script]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["b"] = broken, ["o"] = original, ["p"] = predicted }));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return double.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
