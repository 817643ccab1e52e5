using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

public class TapParserTests
{
    private readonly TapParser parser = new();

    [Fact]
    public void Parse_NodeTapWithNestedSubtests_CountsLeavesWithParentPaths()
    {
        // Arrange
        var input = Log("node-tap.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
        [
            "/tmp/sp/node/test/broken.test.js", "adds numbers", "fails on purpose", "skipped test", "todo test", "prints to stdout",
            "math suite > multiplies", "math suite > nested group > divides", "parent with subtests > sub one",
            "parent with subtests > sub two", "equal 1 1", "equal 2 3",
        ], report.Tests.Select(t => t.Id));
        Assert.Equal((5, 5, 2), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped)));
        Assert.True(report.SawCompletion);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Parse_NodeTap_SameIdsAsNodeJunit()
    {
        // Arrange
        var tap = Log("node-tap.txt");
        var junit = Files("node-junit.xml");

        // Act
        var fromTap = parser.Parse(tap);
        var fromJunit = new JUnitXmlParser().Parse(junit);

        // Assert
        Assert.Equal(fromJunit.Tests.Select(t => (t.Id, t.Status)), fromTap.Tests.Select(t => (t.Id, t.Status)));
    }

    [Fact]
    public void Parse_NodeTapYaml_GivesMessagesDurationsAndSkipReason()
    {
        // Arrange
        var input = Log("node-tap.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        var byId = report.Tests.ToDictionary(t => t.Id);
        Assert.Equal("Expected values to be strictly equal:\n\n2 !== 3", byId["fails on purpose"].Message);
        Assert.Equal("boom", byId["parent with subtests > sub two"].Message);
        Assert.Equal("not ready", byId["skipped test"].Message);
        Assert.Equal(1.296698, byId["adds numbers"].DurationMs!.Value, precision: 6);
    }

    [Fact]
    public void Parse_MochaTap_ReadsFlatResultsAndIgnoresNoise()
    {
        // Arrange
        var input = Log("mocha-tap.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["Array has length", "Array fails", "Array skipped", "Array pending without body", "Array nested prints"], report.Tests.Select(t => t.Id));
        Assert.Equal([TestStatus.Passed, TestStatus.Failed, TestStatus.Skipped, TestStatus.Skipped, TestStatus.Passed], report.Tests.Select(t => t.Status));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_MochaTapOfTwoFiles_CountsAllWithTheSameTitleInTwoFilesNumbered()
    {
        // Arrange: mocha 12 over two files; its own summary says 3 passing, 2 pending, 4 failing (9).
        var input = Log("mocha-tap-two-files.txt");

        // Act
        var report = parser.Parse(input);

        // Assert: a hook failure is a failed result named after the hook (its tests never ran, as mocha says too);
        // "math adds" passes in one file and fails in the other; TAP does not name files, so the second is "math adds [#2]" (9, as mocha says).
        Assert.Equal(9, report.Tests.Count);
        Assert.Equal((3, 4, 2), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped)));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "math adds"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "math adds [#2]"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "hooks \"before all\" hook for \"never runs 1\""));
        Assert.Equal(TestStatus.Failed, StatusOf(report, "after \"after each\" hook for \"runs\""));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_NodeTap16RepeatedSubtestAndAssertionNames_EveryTestPointCounts()
    {
        // Arrange: node-tap 16 (tap --reporter=tap), node-semver's shape: data-driven subtests whose names and
        // assertion messages repeat; tap itself counts 6 passing.
        var input = new ReportInput
        {
            Log = string.Join('\n',
                "TAP version 13",
                "# Subtest: test/functions/neq.js",
                "    # Subtest: comparison tests",
                "        1..2",
                "        # Subtest: 1.2.3 1.2.3 undefined",
                "            1..2",
                "            ok 1 - should be equal",
                "            ok 2 - should be equal",
                "        ok 1 - 1.2.3 1.2.3 undefined # time=1.2ms",
                "        ",
                "        # Subtest: 1.2.3 1.2.3 undefined",
                "            1..2",
                "            ok 1 - should be equal",
                "            not ok 2 - should be equal",
                "        not ok 2 - 1.2.3 1.2.3 undefined # time=1.1ms",
                "        ",
                "    not ok 1 - comparison tests # time=9.0ms",
                "    ",
                "    # Subtest: other",
                "        ok 1 - should be equal",
                "        ok 2 - should be equal",
                "        1..2",
                "    ok 2 - other # time=1ms",
                "    1..2",
                "    # time=16.2ms",
                "not ok 1 - test/functions/neq.js # time=16.2ms",
                "",
                "1..1",
                ""),
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        const string Case = "test/functions/neq.js > comparison tests > 1.2.3 1.2.3 undefined > should be equal";
        Assert.Equal(6, report.Tests.Count);
        Assert.Equal([Case, Case + " [#2]", Case + " [#3]", Case + " [#4]"], report.Tests.Take(4).Select(t => t.Id));
        Assert.Equal(TestStatus.Failed, StatusOf(report, Case + " [#4]"));
        Assert.Equal(TestStatus.Passed, StatusOf(report, "test/functions/neq.js > other > should be equal [#2]"));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_AvaTap_KeepsEqualTitlesOfDifferentFilesApart()
    {
        // Arrange: AVA 7 (ava --tap) over two files; AVA prefixes each title with its file.
        var input = Log("ava-tap.txt");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["a › skipped", "a › later", "a › adds", "a › fails", "a › same name", "b › same name", "b › throws"], report.Tests.Select(t => t.Id));
        Assert.Equal(
            [TestStatus.Skipped, TestStatus.Skipped, TestStatus.Passed, TestStatus.Failed, TestStatus.Passed, TestStatus.Passed, TestStatus.Failed],
            report.Tests.Select(t => t.Status));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_NodeTapRunner_MatchesTheRunnersOwnSummary()
    {
        // Arrange: node-tap 21 (tap --reporter=tap --disable-coverage) over two files; its summary is
        // "{ total: 6, pass: 3, fail: 1, todo: 1, skip: 1 }".
        var input = Log("node-tap-runner.txt");

        // Act
        var report = parser.Parse(input);

        // Assert: the files are the outer subtests, so equal names in two files stay apart.
        Assert.Equal(
        [
            ("tp/a.test.mjs > math > adds", TestStatus.Passed), ("tp/a.test.mjs > math > fails", TestStatus.Failed),
            ("tp/a.test.mjs > math > nested > deep", TestStatus.Passed), ("tp/a.test.mjs > skipped", TestStatus.Skipped),
            ("tp/a.test.mjs > todo", TestStatus.Skipped), ("tp/b.test.mjs > math > adds", TestStatus.Passed),
        ], report.Tests.Select(t => (t.Id, t.Status)).OrderBy(t => t.Id, StringComparer.Ordinal));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_PlanFirstButFewerResults_IsIncomplete()
    {
        // Arrange
        var input = new ReportInput { Log = "TAP version 14\n1..3\nok 1 - a\nnot ok 2 b # TODO later\n" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["a", "b"], report.Tests.Select(t => t.Id));
        Assert.Equal(TestStatus.Skipped, report.Tests[1].Status);
        Assert.Equal("later", report.Tests[1].Message);
        Assert.False(report.SawCompletion);
    }

    [Fact]
    public void Parse_BailOut_StopsAndIsIncomplete()
    {
        // Arrange
        var input = new ReportInput { Log = "ok 1 - a\nBail out! database down\nok 2 - b\n1..2\n" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("a", Assert.Single(report.Tests).Id);
        Assert.False(report.SawCompletion);
        Assert.Contains(report.Warnings, w => w.Contains("database down", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_TruncatedInsideSubtests_NamesOrphansAfterSubtestComment()
    {
        // Arrange
        var text = Text("node-tap.txt");
        var input = new ReportInput { Log = text[..text.IndexOf("    # Subtest: sub two", StringComparison.Ordinal)] };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("parent with subtests > sub one", report.Tests[^1].Id);
        Assert.Equal(TestStatus.Passed, report.Tests[^1].Status);
        Assert.Equal(9, report.Tests.Count);
        Assert.False(report.SawCompletion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("okay then\nnothing ok here\n---\n...\n")]
    public void Parse_EmptyOrGarbage_ReturnsNothingWithoutThrowing(string log)
    {
        // Arrange
        var input = new ReportInput { Log = log };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
        Assert.NotEmpty(report.Warnings);
    }
}
