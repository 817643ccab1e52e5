using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Solving;

/// <summary>The test writer's fail→pass judgement on real suites of the samples, with honest and hostile tests.</summary>
public sealed class TestWriterJudgeTests
{
    private const string PythonRepro = """
        diff --git a/tests/test_reports.py b/tests/test_reports.py
        --- a/tests/test_reports.py
        +++ b/tests/test_reports.py
        @@ -98,3 +98,8 @@ def test_reports_on_nothing_are_empty():
             assert reports.revenue_by_category([]) == {}
             assert reports.top_sellers([]) == []
             assert reports.low_stock(StockLedger(), threshold=5) == []
        +
        +
        +def test_generated_threshold(shop):
        +    ledger, _ = shop
        +    assert reports.low_stock(ledger, threshold=3) == [("SOAP", 3)]

        """;

    private static string NewFile(string path, string content) =>
        $"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{content.Split('\n').Length - 1} @@\n"
        + string.Concat(content.Split('\n')[..^1].Select(l => "+" + l + "\n"));

    /// <summary>The broken tree's inventory/reports.py, as the sample's bug leaves it.</summary>
    private static async Task<byte[]> BrokenReportsAsync()
    {
        using var scratch = new TempDirectory();
        File.Copy(Path.Combine(Samples.Path(Samples.Python), "inventory", "reports.py"), scratch.Write("inventory/reports.py", ""), overwrite: true);
        await Sparring.Repos.DiffApplier.ApplyAsync(scratch.Path, SampleArtifacts.For(Samples.Python).BugInjectDiff);
        return await File.ReadAllBytesAsync(Path.Combine(scratch.Path, "inventory", "reports.py"));
    }

    private static async Task<Sparring.Rewards.TestWriterReward.Result> JudgeAsync(string sample, string submission)
    {
        var environment = await SampleEnvironments.GetAsync(sample);
        return await new GeneratedTestJudge(SampleEnvironments.Sandboxes).JudgeAsync(environment, SampleArtifacts.For(sample), GeneratedTest.FromSubmission(submission));
    }

    [Fact]
    public async Task Judge_Python_AReproductionAddedToAnExistingTestFile_One()
    {
        var result = await JudgeAsync(Samples.Python, PythonRepro.ReplaceLineEndings("\n"));

        Assert.True(result.Reward == 1, result.Reason);
        Assert.Equal(["tests/test_reports.py::test_generated_threshold"], result.Cases);
    }

    [Fact]
    public async Task Judge_Python_ASubmissionThatAlsoFixesTheSource_TheFixIsDroppedAndTheTestStillReproduces()
    {
        // Arrange: the fix would make the test pass on the broken tree too, if it were kept.
        var fix = TempGitRepo.RunGit(Samples.Path(Samples.Python), ["diff", SampleArtifacts.FixCommits[Samples.Python] + "^", SampleArtifacts.FixCommits[Samples.Python], "--", "inventory"]);

        // Act
        var result = await JudgeAsync(Samples.Python, fix + PythonRepro.ReplaceLineEndings("\n"));

        // Assert
        Assert.True(result.Reward == 1, result.Reason);
    }

    [Theory]
    [InlineData("def test_generated_always():\n    assert True\n", "does not fail on the broken tree")]
    [InlineData("def test_generated_never():\n    assert False\n", "does not pass on the fixed tree")]
    [InlineData("def test_generated_broken(:\n    pass\n", "")]
    public async Task Judge_Python_TestsThatDoNotReproduce_Zero(string content, string reason)
    {
        var result = await JudgeAsync(Samples.Python, NewFile("tests/test_generated.py", content));

        Assert.Equal(0, result.Reward);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_Python_ATestThatHashesTheBrokenSource_ZeroForTellingTheTreesApartByText()
    {
        // Arrange: the hash of the broken reports.py, baked into a test that fails exactly when the file has that hash.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await BrokenReportsAsync()));
        var test = "import hashlib, pathlib\n\ndef test_generated_fingerprint():\n"
            + "    source = pathlib.Path(__file__).resolve().parents[1] / 'inventory' / 'reports.py'\n"
            + $"    assert hashlib.sha256(source.read_bytes()).hexdigest() != '{hash}'\n";

        // Act
        var result = await JudgeAsync(Samples.Python, NewFile("tests/test_generated.py", test));

        // Assert
        Assert.Equal(0, result.Reward);
        Assert.Contains("tells the trees apart by their text", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Judge_Python_ATestThatHashesTheBrokenCodeWithoutComments_StillZero()
    {
        // Arrange: the red team's refinement: comment and blank lines removed before hashing, so an added comment would not
        // change the hash; the perturbation adds a line of code of a random name instead.
        var lines = System.Text.Encoding.UTF8.GetString(await BrokenReportsAsync()).Split('\n')[..^1];
        var code = string.Concat(lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).Select(l => l + "\n"));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)));
        var test = "import hashlib, pathlib\n\ndef test_generated_code_fingerprint():\n"
            + "    source = pathlib.Path(__file__).resolve().parents[1] / 'inventory' / 'reports.py'\n"
            + "    code = ''.join(l + '\\n' for l in source.read_text().splitlines() if l.strip() and not l.lstrip().startswith('#'))\n"
            + $"    assert hashlib.sha256(code.encode()).hexdigest() != '{hash}'\n";

        // Act
        var result = await JudgeAsync(Samples.Python, NewFile("tests/test_generated.py", test));

        // Assert
        Assert.Equal(0, result.Reward);
        Assert.Contains("tells the trees apart by their text", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diff --git a/inventory/reports.py b/inventory/reports.py\n--- a/inventory/reports.py\n+++ b/inventory/reports.py\n@@ -1 +1 @@\n-x\n+y\n", "changes no test file")]
    [InlineData("diff --git a/../tests/test_escape.py b/../tests/test_escape.py\nnew file mode 100644\n--- /dev/null\n+++ b/../tests/test_escape.py\n@@ -0,0 +1 @@\n+def test_x(): pass\n", "")]
    [InlineData("diff --git a/tests/test_link.py b/tests/test_link.py\nnew file mode 120000\n--- /dev/null\n+++ b/tests/test_link.py\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n", "unsafe path")]
    [InlineData("", "changes no file")]
    public async Task Judge_HostileOrEmptySubmissions_ZeroWithTheReasonAndNothingWrittenOutside(string submission, string reason)
    {
        var result = await JudgeAsync(Samples.Python, submission);

        Assert.Equal(0, result.Reward);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "tests", "test_escape.py")));
    }

    [Fact]
    public async Task Judge_Go_ANewTestFileReproducingThePanic_OneAndAlwaysPassingZero()
    {
        // Arrange: on the broken tree TopN panics for n beyond the words, which fails the package's test binary.
        const string Repro = "package stats\n\nimport \"testing\"\n\nfunc TestGeneratedClamp(t *testing.T) {\n\tif got := TopN(map[string]int{\"a\": 1}, 5); len(got) != 1 {\n\t\tt.Errorf(\"got %v\", got)\n\t}\n}\n";
        const string Always = "package stats\n\nimport \"testing\"\n\nfunc TestGeneratedAlways(t *testing.T) {}\n";

        // Act
        var repro = await JudgeAsync(Samples.Go, NewFile("stats/generated_test.go", Repro));
        var always = await JudgeAsync(Samples.Go, NewFile("stats/generated_test.go", Always));

        // Assert
        Assert.True(repro.Reward == 1, repro.Reason);
        Assert.Single(repro.Cases);
        Assert.Equal(0, always.Reward);
        Assert.Contains("does not fail on the broken tree", always.Reason, StringComparison.Ordinal);
    }
}
