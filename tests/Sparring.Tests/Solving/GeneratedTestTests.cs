using Sparring.Solving;

namespace Sparring.Tests.Solving;

public sealed class GeneratedTestTests
{
    private const string Source = "diff --git a/inventory/reports.py b/inventory/reports.py\n--- a/inventory/reports.py\n+++ b/inventory/reports.py\n@@ -1 +1 @@\n-a\n+b\n";
    private const string Test = "diff --git a/tests/test_reports.py b/tests/test_reports.py\n--- a/tests/test_reports.py\n+++ b/tests/test_reports.py\n@@ -1 +1 @@\n-c\n+d\n";
    private const string Conftest = "diff --git a/conftest.py b/conftest.py\nnew file mode 100644\n--- /dev/null\n+++ b/conftest.py\n@@ -0,0 +1 @@\n+x = 1\n";

    [Fact]
    public void FromSubmission_SourceTestAndConftest_KeepsTheTestFilesAndNamesTheDroppedOnes()
    {
        // Act
        var test = GeneratedTest.FromSubmission(Source + Test + Conftest);

        // Assert
        Assert.Equal(Test + Conftest, test.Patch);
        Assert.Equal(["tests/test_reports.py", "conftest.py"], test.Files);
        Assert.Equal(["inventory/reports.py"], test.Dropped);
    }

    [Fact]
    public void WithoutTestFiles_ACandidateWithItsOwnTests_OnlyTheSourceIsLeft()
    {
        Assert.Equal(Source, GeneratedTest.WithoutTestFiles(Test + Source + Conftest));
        Assert.Equal("", GeneratedTest.WithoutTestFiles(Test));
        Assert.Equal("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", GeneratedTest.WithoutTestFiles("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"));
    }

    [Theory]
    [InlineData("sitecustomize.py")]
    [InlineData("pytest.ini")]
    [InlineData("jest.config.js")]
    [InlineData("run_checks.sh")]
    [InlineData("lib/listed_check.py")]
    public void WithoutTestFiles_TestInfrastructureAndWhatTheArtifactNames_AreDroppedLikeGradingPutsThemBack(string path)
    {
        // Arrange: the artifact lists lib/listed_check.py as a test file and its script runs run_checks.sh.
        var artifact = new Sparring.Artifacts.BugArtifact
        {
            BugInjectDiff = "",
            TestWeakenDiff = "",
            TestFiles = ["lib/listed_check.py"],
            TestScript = "#!/bin/bash\nbash run_checks.sh\n",
            Metadata = new Sparring.Artifacts.ArtifactMetadata { Id = "x", Strategy = "removal" },
        };
        var planted = $"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+x = 1\n";

        // Act + Assert
        Assert.Equal(Source, GeneratedTest.WithoutTestFiles(planted + Source, artifact));
    }
}
