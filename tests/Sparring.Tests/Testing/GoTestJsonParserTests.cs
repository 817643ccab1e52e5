using Sparring.Testing;
using Sparring.Testing.Parsers;
using static Sparring.Tests.Testing.ReportFixtures;

namespace Sparring.Tests.Testing;

public class GoTestJsonParserTests
{
    private const string Calc = "example.com/demo/calc";
    private readonly GoTestJsonParser parser = new();

    [Fact]
    public void Parse_RealRunWithBuildFailure_ReadsTestsSubtestsAndBrokenPackage()
    {
        // Arrange
        var input = Log("go-test.jsonl");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(
        [
            "example.com/demo/broken", $"{Calc}/TestAdd", $"{Calc}/TestFail", $"{Calc}/TestSkip", $"{Calc}/TestPrints",
            $"{Calc}/TestTable/one_plus_one", $"{Calc}/TestTable/bad_case", $"{Calc}/TestTable/zero", $"{Calc}/TestTable",
            "example.com/demo/util/TestTwice", "example.com/demo/crash/TestFirst", "example.com/demo/crash/TestPanics",
        ], report.Tests.Select(t => t.Id));
        Assert.Equal((6, 4, 1, 1), (CountOf(report, TestStatus.Passed), CountOf(report, TestStatus.Failed), CountOf(report, TestStatus.Skipped), CountOf(report, TestStatus.Error)));
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_BuildFailure_IsAnErrorCarryingTheCompilerMessage()
    {
        // Arrange
        var input = Log("go-test.jsonl");

        // Act
        var report = parser.Parse(input);

        // Assert
        var broken = report.Tests.Single(t => t.Id == "example.com/demo/broken");
        Assert.Equal(TestStatus.Error, broken.Status);
        Assert.Contains("cannot use \"not an int\"", broken.Message, StringComparison.Ordinal);
        Assert.Contains(report.Warnings, w => w.StartsWith("Ignored 2 lines", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_FailingAndPanickingTests_KeepTheirOutputAsMessage()
    {
        // Arrange
        var input = Log("go-test.jsonl");

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal("calc_test.go:15: expected 4, got 3", report.Tests.Single(t => t.Id == $"{Calc}/TestFail").Message);
        Assert.StartsWith("panic: assignment to entry in nil map", report.Tests.Single(t => t.Id == "example.com/demo/crash/TestPanics").Message, StringComparison.Ordinal);
        Assert.True(report.Tests.Single(t => t.Id == "example.com/demo/crash/TestPanics").Message!.Length <= 500);
        Assert.Null(report.Tests.Single(t => t.Id == $"{Calc}/TestPrints").Message);
    }

    [Fact]
    public void Parse_TruncatedStream_MarksUnfinishedTestsAsErrorsAndIsIncomplete()
    {
        // Arrange
        var lines = Text("go-test.jsonl").Split('\n');
        var cut = Array.FindIndex(lines, l => l.Contains("\"Test\":\"TestTable/zero\"", StringComparison.Ordinal));
        var input = new ReportInput { Log = string.Join('\n', lines.Take(cut + 1)) + "\n{\"Time\":\"2026-11-22T16:2" };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(TestStatus.Error, StatusOf(report, $"{Calc}/TestTable"));
        Assert.Equal(TestStatus.Error, StatusOf(report, $"{Calc}/TestTable/zero"));
        Assert.Equal(TestStatus.Failed, StatusOf(report, $"{Calc}/TestFail"));
        Assert.False(report.SawCompletion);
        Assert.Contains(report.Warnings, w => w.StartsWith("Malformed JSON line", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_PackageFailsWithoutFailingTest_AddsPackageError()
    {
        // Arrange
        var input = new ReportInput
        {
            Log = """
                {"Action":"start","Package":"example.com/m"}
                {"Action":"run","Package":"example.com/m","Test":"TestA"}
                {"Action":"pass","Package":"example.com/m","Test":"TestA","Elapsed":0.5}
                {"Action":"output","Package":"example.com/m","Output":"TestMain exited 1\n"}
                {"Action":"fail","Package":"example.com/m","Elapsed":0.6}
                """,
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Equal(["example.com/m/TestA", "example.com/m"], report.Tests.Select(t => t.Id));
        Assert.Equal(500, report.Tests[0].DurationMs);
        Assert.Equal(TestStatus.Error, report.Tests[1].Status);
        Assert.Equal("TestMain exited 1", report.Tests[1].Message);
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_NewerGoBuildFailEvents_AddPackageError()
    {
        // Arrange
        var input = new ReportInput
        {
            Log = """
                {"ImportPath":"example.com/b [example.com/b.test]","Action":"build-output","Output":"b.go:3: undefined: x\n"}
                {"ImportPath":"example.com/b [example.com/b.test]","Action":"build-fail"}
                {"Action":"start","Package":"example.com/b"}
                {"Action":"output","Package":"example.com/b","Output":"FAIL\texample.com/b [build failed]\n"}
                {"Action":"fail","Package":"example.com/b","Elapsed":0,"FailedBuild":"example.com/b [example.com/b.test]"}
                """,
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        var only = Assert.Single(report.Tests);
        Assert.Equal("example.com/b", only.Id);
        Assert.Equal(TestStatus.Error, only.Status);
        Assert.Equal("b.go:3: undefined: x", only.Message);
        Assert.True(report.SawCompletion);
    }

    [Fact]
    public void Parse_EventsWithOddFieldTypes_SkipsThemWithoutThrowing()
    {
        // Arrange
        var input = new ReportInput
        {
            Log = """
                {"Action":"pass","Package":"p","Test":"TestA","Elapsed":"soon"}
                {"Action":5,"Package":"p","Test":"TestB"}
                {"Action":"fail","Package":["p"],"Test":"TestC"}
                {"Action":"pass","Package":"p","Elapsed":null}
                """,
        };

        // Act
        var report = parser.Parse(input);

        // Assert
        var only = Assert.Single(report.Tests);
        Assert.Equal("p/TestA", only.Id);
        Assert.Null(only.DurationMs);
        Assert.True(report.SawCompletion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no json here\n{broken\n[1,2]\n")]
    public void Parse_EmptyOrGarbage_ReturnsNothingWithoutThrowing(string log)
    {
        // Arrange
        var input = new ReportInput { Log = log };

        // Act
        var report = parser.Parse(input);

        // Assert
        Assert.Empty(report.Tests);
        Assert.False(report.SawCompletion);
    }
}
