using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

public class JestJsonParserTests
{
    private const string Math = "/tmp/sp/jest/src/__tests__/math.test.js";
    private readonly JestJsonParser parser = new();

    [Fact]
    public void Parse_RealJestReport_BuildsFileAncestorTitleIds()
    {
        // Arrange
        var input = Files("jest.json");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
        [
            $"{Math} > math > adds", $"{Math} > math > fails", $"{Math} > math > skipped one", $"{Math} > math > write more tests",
            $"{Math} > math > nested > equal 1 1", $"{Math} > math > nested > equal 2 3", $"{Math} > top level prints",
            "/tmp/sp/jest/src/__tests__/broken.test.js",
        ], report.Tests.Select(t => t.Id));
        Assert.Equal(
            [TestStatus.Passed, TestStatus.Failed, TestStatus.Skipped, TestStatus.Skipped, TestStatus.Passed, TestStatus.Failed, TestStatus.Passed, TestStatus.Error],
            report.Tests.Select(t => t.Status));
        Assert.True(report.SawCompletion);
        Assert.Equal(7, report.ReportedTotal);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_RepeatedTitlesInOneFile_AreNumberedInTheFilesOrder()
    {
        // Arrange: jest 29 (--json --testEnvironment node) over one describe holding three it('reads a date') and a test;
        // jest's own summary counts 4 tests, one failed.
        var input = Files("jest-repeated-titles.json");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["/repo/dup.test.js > parse > reads a date", "/repo/dup.test.js > parse > reads a date [#2]", "/repo/dup.test.js > parse > reads a date [#3]", "/repo/dup.test.js > alone"], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "/repo/dup.test.js > parse > reads a date [#2]"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "/repo/dup.test.js > parse > reads a date [#3]"));
        Assert.Equal(report.ReportedTotal, report.Tests.Count);
    }

    [Fact]
    public void Parse_VitestJsonReport_ReadsItAsJestsFormat()
    {
        // Arrange: vitest 4.1 (vitest run --reporter=json --outputFile=…) over two files; its own summary is
        // "1 failed | 4 passed | 1 skipped | 1 todo (7)".
        var input = Files("vitest.json");

        // Act
        var report = parser.Parse(input);

        // Assert: equal titles in the two files stay apart.
        Assert.Equal(7, report.Tests.Count);
        Assert.Equal((4, 1, 2), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped)));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "/repo/vt/b.test.js > math > adds"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "/repo/vt/a.test.js > math > nested > deep"));
        Assert.StartsWith("AssertionError: expected 2 to be 3", report.Tests.Single(t => t.Status == TestStatus.Failed).Message, StringComparison.Ordinal);
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_FailedAssertionAndBrokenSuite_CarryTrimmedMessages()
    {
        // Arrange
        var input = Files("jest.json");

        // Act
        var report = parser.Parse(input);

        // Assert
        var failed = report.Tests.Single(t => t.Id == $"{Math} > math > fails");
        Assert.StartsWith("Error: expect(received).toBe(expected)", failed.Message, StringComparison.Ordinal);
        Assert.True(failed.Message!.Length <= 500);
        Assert.Equal(2, failed.DurationMs);
        Assert.Contains("Cannot find module './does-not-exist'", report.Tests[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportWithRootDir_MakesFilesRelative()
    {
        // Arrange
        var json = Text("jest.json");
        var input = FileContents("{\"rootDir\": \"/tmp/sp/jest/\"," + json[(json.IndexOf('{', StringComparison.Ordinal) + 1)..]);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("src/__tests__/math.test.js > math > adds", report.Tests[0].Id);
        Assert.Equal("src/__tests__/broken.test.js", report.Tests[^1].Id);
        Assert.Equal(8, report.Tests.Count);
    }

    [Fact]
    public void Parse_InterruptedRun_IsIncomplete()
    {
        // Arrange
        var input = FileContents("""
            {"wasInterrupted": true, "testResults": [{"name": "a.test.js", "status": "passed",
              "assertionResults": [{"ancestorTitles": [], "title": "t", "status": "passed"}]}]}
            """);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("a.test.js > t", Assert.Single(report.Tests).Id);
        Assert.False(report.SawCompletion);
        Assert.Single(report.Warnings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"testResults\": [{\"name\": \"x\", \"assertionRes")]
    [InlineData("{\"numTotalTests\": 3}")]
    [InlineData("[1, 2, 3]")]
    public void Parse_EmptyTruncatedOrForeignJson_ReturnsNothingWithoutThrowing(string content)
    {
        // Arrange
        var input = FileContents(content);

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.NotEmpty(report.Warnings);
    }
}
