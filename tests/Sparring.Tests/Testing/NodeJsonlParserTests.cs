using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

/// <summary>node.jsonl is Sparring's node reporter on Node 20.20 over files with equal names, hooks, a syntax error and a crash.</summary>
public class NodeJsonlParserTests
{
    private readonly NodeJsonlParser parser = new();

    [Fact]
    public void Parse_ReporterOutput_IdsNameTheFileAndTheSuitePath()
    {
        // Arrange
        var input = Files("node.jsonl");

        // Act
        var report = parser.Parse(input);

        // Assert
        var ids = report.Tests.Select(t => t.Id).ToList();
        Assert.Contains("test/a.test.js > suite > deeper > leaf", ids);
        Assert.Contains("test/a.test.js > parent with subtests > child b", ids);
        Assert.DoesNotContain("test/a.test.js > parent with subtests", ids);
        Assert.Equal(TestStatus.Passed, StatusOf(report, "test/a.test.js > same name"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "test/sub/b.test.js > same name"));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_RepeatedTitlesAndRepeatedErrors_TestsAreNumberedErrorsMerge()
    {
        // Arrange: mocha through Sparring's reporter, express-style: a describe with two it('should work') and two
        // failed after-each hooks of one suite.
        var input = new ReportInput { Log = "", ReportFiles = new Dictionary<string, string> { ["mocha.jsonl"] = string.Join('\n',
            """{"file":"test/app.router.js","name":"app.router > methods > should work","status":"passed","duration_ms":3}""",
            """{"file":"test/app.router.js","name":"app.router > methods > should work","status":"failed","message":"AssertionError: expected 200","duration_ms":2}""",
            """{"file":"test/app.router.js","name":"app.router > hooks","status":"error","message":"\"after each\" hook: boom"}""",
            """{"file":"test/app.router.js","name":"app.router > hooks","status":"error","message":"\"after each\" hook: boom"}""",
            """{"done":true,"tests":4}""",
            "") } };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["test/app.router.js > app.router > methods > should work", "test/app.router.js > app.router > methods > should work [#2]", "test/app.router.js > app.router > hooks"], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Passed, report.Tests[0].Status);
        Assert.Equal(TestStatus.Failed, report.Tests[1].Status);
        Assert.Equal(TestStatus.Error, report.Tests[2].Status);
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_ReporterOutput_FailuresNotCausedByASubtestAreErrors()
    {
        // Arrange
        var input = Files("node.jsonl");

        // Act
        var report = parser.Parse(input);

        // Assert
        var byId = report.Tests.ToDictionary(t => t.Id);
        Assert.Equal(TestStatus.Error, byId["test/c.test.js"].Status);
        Assert.Contains("SyntaxError", byId["test/c.test.js"].Message, StringComparison.Ordinal);
        Assert.Equal(TestStatus.Error, byId["test/sub/b.test.js > hooked"].Status);
        Assert.Equal("Error: before boom", byId["test/sub/b.test.js > hooked"].Message);
        Assert.Equal(TestStatus.Error, byId["test/sub/b.test.js > parent own fail"].Status);
        Assert.Equal(TestStatus.Passed, byId["test/sub/b.test.js > parent own fail > c ok"].Status);
        Assert.Equal(("skipped", "not now"), (byId["test/a.test.js > skipped"].Status.Value, byId["test/a.test.js > skipped"].Message));
        Assert.Equal(TestStatus.Skipped, byId["test/a.test.js > todo one"].Status);
        Assert.Equal((6, 6, 3, 4), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped), CountOf(report, TestStatus.Error)));
    }

    [Fact]
    public void Parse_NoEndLine_KeepsTheResultsAndSaysTheRunMayNotHaveFinished()
    {
        // Arrange
        var lines = Text("node.jsonl").Split('\n').Where(l => !l.Contains("\"done\"", StringComparison.Ordinal));
        var input = new ReportInput { Log = "", ReportFiles = new Dictionary<string, string> { ["node.jsonl"] = string.Join('\n', lines) } };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(19, report.Tests.Count);
        Assert.False(report.SawCompletion);
        Assert.Contains(report.Warnings, w => w.Contains("no end-of-run line", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MalformedLinesAndOrphans_WarnsAndKeepsTheRest()
    {
        // Arrange
        var content = "{\"file\":\"t.js\",\"name\":\"a\",\"status\":\"passed\"}\nnot json\n[1]\n"
            + "{\"file\":\"t.js\",\"name\":\"child\",\"status\":\"failed\",\"orphan\":true}\n{\"name\":\"no file\"}\n{\"done\":true}\n";
        var input = new ReportInput { Log = "", ReportFiles = new Dictionary<string, string> { ["node.jsonl"] = content } };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal([("t.js > a", TestStatus.Passed), ("t.js > child", TestStatus.Failed), ("no file", TestStatus.Error)], report.Tests.Select(t => (t.Id, t.Status)));
        Assert.False(report.SawCompletion);
        Assert.Equal(4, report.Warnings.Count);
    }

    [Fact]
    public void Parse_NoReportFile_WarnsAndIsIncomplete()
    {
        // Arrange
        var input = new ReportInput { Log = "", ReportFiles = new Dictionary<string, string> { ["node-junit.xml"] = "<testsuites/>" } };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.Single(report.Warnings);
    }
}
