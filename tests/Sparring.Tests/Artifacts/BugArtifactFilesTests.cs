using Sparring.Artifacts;
using Sparring.TestUtilities;

namespace Sparring.Tests.Artifacts;

public sealed class BugArtifactFilesTests
{
    [Fact]
    public async Task SaveAsyncThenLoadAsync_HigherOrderArtifact_RoundTripsEveryFile()
    {
        // Arrange
        using var directory = new TempDirectory();
        var artifact = SampleArtifacts.WithParserScript(SampleArtifacts.For(Samples.Python)) with
        {
            PredPatch = "diff --git a/inventory/reports.py b/inventory/reports.py\n--- a/inventory/reports.py\n+++ b/inventory/reports.py\n@@ -1 +1 @@\n-x\n+y\n",
            Metadata = new ArtifactMetadata
            {
                Id = "py-order-2",
                Strategy = "higher-order",
                Order = 2,
                Parent = "py-inventory-c71f695db5",
                CreatedAt = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero),
                BaseCommit = "5fa9429",
                // A valid report: failedCheck is null, which the writer leaves out (before the fix, loading then failed).
                Validation = new ValidationReport
                {
                    Valid = true,
                    FailedCheck = null,
                    Checks = [new CheckResult { Name = ValidationChecks.TestFilesExist, Passed = true, Evidence = "all 6 listed test files exist" }],
                    FailToPass = ["tests/test_reports.py::test_x"],
                    TestRuns = 3,
                    DurationMs = 1234.5,
                },
            },
        };

        // Act
        await BugArtifactFiles.SaveAsync(artifact, directory.Path);
        var loaded = await BugArtifactFiles.LoadAsync(directory.Path);

        // Assert
        Assert.Equal(artifact.BugInjectDiff, loaded.BugInjectDiff);
        Assert.Equal(artifact.TestWeakenDiff, loaded.TestWeakenDiff);
        Assert.Equal(artifact.TestFiles, loaded.TestFiles);
        Assert.Equal(artifact.TestScript, loaded.TestScript);
        Assert.Equal(artifact.TestParser, loaded.TestParser);
        Assert.Equal(artifact.PredPatch, loaded.PredPatch);
        Assert.Equivalent(artifact.Metadata, loaded.Metadata, strict: true);
        Assert.Equal(
            [BugArtifactFiles.BugInject, BugArtifactFiles.Metadata, BugArtifactFiles.PredPatch, BugArtifactFiles.TestFilesList, BugArtifactFiles.TestParser, BugArtifactFiles.TestScript, BugArtifactFiles.TestWeaken],
            Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("\"failToPass\"", directory.Read(BugArtifactFiles.Metadata), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../victim.py", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("tests/a\0.py", "control character")]
    [InlineData("tests\\..\\..\\victim.py", "backslash")]
    public async Task LoadAsync_TestFilesNameAPathOutsideTheRepository_RefusedNamingTheLineAndTheFile(string line, string reason)
    {
        // Arrange
        using var directory = new TempDirectory();
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python), directory.Path);
        await File.AppendAllTextAsync(Path.Combine(directory.Path, BugArtifactFiles.TestFilesList), line + "\n");

        // Act
        var ex = await Assert.ThrowsAsync<Sparring.Repos.UnsafePathException>(() => BugArtifactFiles.LoadAsync(directory.Path));

        // Assert: one line naming the path, test_files.txt and its folder, and why.
        Assert.Equal(line, ex.Path);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"test_files.txt in '{directory.Path}' names '", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', ex.Message);
    }

    [Fact]
    public async Task SaveAsync_BuiltInParserOverArtifactWithScript_RemovesTheStaleFiles()
    {
        // Arrange
        using var directory = new TempDirectory();
        var withScript = SampleArtifacts.WithParserScript(SampleArtifacts.For(Samples.Python)) with { PredPatch = "x" };
        await BugArtifactFiles.SaveAsync(withScript, directory.Path);

        // Act
        await BugArtifactFiles.SaveAsync(SampleArtifacts.For(Samples.Python), directory.Path);
        var loaded = await BugArtifactFiles.LoadAsync(directory.Path);

        // Assert
        Assert.False(File.Exists(Path.Combine(directory.Path, BugArtifactFiles.TestParser)));
        Assert.False(File.Exists(Path.Combine(directory.Path, BugArtifactFiles.PredPatch)));
        Assert.Null(loaded.TestParser);
        Assert.Null(loaded.PredPatch);
        Assert.Equal("pytest", loaded.Metadata.Parser);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public async Task LoadAsync_SsrArtifactWithoutMetadata_GetsDefaultsWithTheFolderName()
    {
        // Arrange: the five files only, as another SSR tool writes them.
        using var root = new TempDirectory();
        var directory = Path.Combine(root.Path, "ssr-bug-17");
        WriteFiveFiles(directory);

        // Act
        var artifact = await BugArtifactFiles.LoadAsync(directory + "/");

        // Assert
        Assert.Equal("ssr-bug-17", artifact.Metadata.Id);
        Assert.Equal(1, artifact.Metadata.Order);
        Assert.Equal("unknown", artifact.Metadata.Strategy);
        Assert.Null(artifact.Metadata.Parser);
        Assert.Null(artifact.Metadata.Validation);
        Assert.Equal("print('{}')\n", artifact.TestParser);
        Assert.Null(artifact.PredPatch);
        Assert.Equal(["tests/test_a.py"], artifact.TestFiles);
    }

    [Fact]
    public async Task LoadAsync_MetadataWithOnlyAnId_KeepsTheDefaultsOfAbsentProperties()
    {
        // Arrange: the JSON source generator sets absent init-only properties to default(T) (0, null): Order and
        // Strategy have setters so their initializers survive.
        using var directory = new TempDirectory();
        WriteFiveFiles(directory.Path);
        directory.Write(BugArtifactFiles.Metadata, """{"id": "only-id"}""");

        // Act
        var artifact = await BugArtifactFiles.LoadAsync(directory.Path);

        // Assert
        Assert.Equal("only-id", artifact.Metadata.Id);
        Assert.Equal(1, artifact.Metadata.Order);
        Assert.Equal("unknown", artifact.Metadata.Strategy);
    }

    [Theory]
    [InlineData(BugArtifactFiles.BugInject)]
    [InlineData(BugArtifactFiles.TestWeaken)]
    [InlineData(BugArtifactFiles.TestFilesList)]
    [InlineData(BugArtifactFiles.TestScript)]
    public async Task LoadAsync_RequiredFileMissing_ThrowsInvalidDataNamingIt(string missing)
    {
        // Arrange
        using var directory = new TempDirectory();
        WriteFiveFiles(directory.Path);
        File.Delete(Path.Combine(directory.Path, missing));

        // Act
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => BugArtifactFiles.LoadAsync(directory.Path));

        // Assert
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains(directory.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NoParserScriptAndNoBuiltInParser_ThrowsInvalidDataNamingBoth()
    {
        // Arrange
        using var directory = new TempDirectory();
        WriteFiveFiles(directory.Path);
        File.Delete(Path.Combine(directory.Path, BugArtifactFiles.TestParser));

        // Act
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => BugArtifactFiles.LoadAsync(directory.Path));

        // Assert
        Assert.Contains(BugArtifactFiles.TestParser, error.Message, StringComparison.Ordinal);
        Assert.Contains(BugArtifactFiles.Metadata, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\": ")]
    [InlineData("{\"strategy\": \"removal\"}")]
    [InlineData("{\"id\": \"x\", \"order\": \"two\"}")]
    [InlineData("null")]
    public async Task LoadAsync_MalformedMetadata_ThrowsInvalidDataNamingMetadataJson(string json)
    {
        // Arrange
        using var directory = new TempDirectory();
        WriteFiveFiles(directory.Path);
        directory.Write(BugArtifactFiles.Metadata, json);

        // Act
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => BugArtifactFiles.LoadAsync(directory.Path));

        // Assert
        Assert.Contains(BugArtifactFiles.Metadata, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DirectoryMissing_ThrowsDirectoryNotFound()
    {
        // Arrange
        using var root = new TempDirectory();
        var missing = Path.Combine(root.Path, "nope");

        // Act
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => BugArtifactFiles.LoadAsync(missing));

        // Assert
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseTestFiles_CommentsBlanksPrefixesDuplicatesAndCrlf_KeepsEachPathOnceInOrder()
    {
        // Arrange
        const string text = "# test files\n\ntests/test_a.py\r\n./tests/test_b.py\n  tests/test_c.py  \n\t\ntests/test_a.py\n./tests/test_b.py\n   # indented comment\ntests/test_d.py";

        // Act
        var files = BugArtifactFiles.ParseTestFiles(text);

        // Assert
        Assert.Equal(["tests/test_a.py", "tests/test_b.py", "tests/test_c.py", "tests/test_d.py"], files);
        Assert.Empty(BugArtifactFiles.ParseTestFiles(""));
        Assert.Empty(BugArtifactFiles.ParseTestFiles("# only a comment\n\n"));
    }

    private static void WriteFiveFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, BugArtifactFiles.BugInject), "diff --git a/a.py b/a.py\n");
        File.WriteAllText(Path.Combine(directory, BugArtifactFiles.TestWeaken), "");
        File.WriteAllText(Path.Combine(directory, BugArtifactFiles.TestFilesList), "tests/test_a.py\n");
        File.WriteAllText(Path.Combine(directory, BugArtifactFiles.TestScript), "#!/bin/bash\npytest\n");
        File.WriteAllText(Path.Combine(directory, BugArtifactFiles.TestParser), "print('{}')\n");
    }
}
