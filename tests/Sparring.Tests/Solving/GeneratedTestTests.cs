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
}
