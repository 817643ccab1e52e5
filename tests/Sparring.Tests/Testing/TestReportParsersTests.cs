using Sparring.Testing;

namespace Sparring.Tests.Testing;

public class TestReportParsersTests
{
    [Fact]
    public void Names_ListsEveryBuiltInParserOnce()
    {
        // Arrange
        string[] expected = ["pytest", "junit", "trx", "go-test-json", "tap", "jest-json", "ssr-json", "node-jsonl", "tape"];

        // Act
        var names = TestReportParsers.Names;

        // Assert
        Assert.Equal(expected, names);
        Assert.All(names, n => Assert.Equal(n, TestReportParsers.Get(n).Name));
    }

    [Theory]
    [InlineData("junit", ReportSource.ReportFiles)]
    [InlineData("trx", ReportSource.ReportFiles)]
    [InlineData("jest-json", ReportSource.ReportFiles)]
    [InlineData("pytest", ReportSource.Log)]
    [InlineData("go-test-json", ReportSource.Log)]
    [InlineData("tap", ReportSource.Log)]
    [InlineData("ssr-json", ReportSource.Log)]
    [InlineData("node-jsonl", ReportSource.ReportFiles)]
    [InlineData("tape", ReportSource.Log)]
    public void Get_KnownName_ReturnsParserReadingTheRightSource(string name, ReportSource source)
    {
        // Arrange
        var upper = name.ToUpperInvariant();

        // Act
        var parser = TestReportParsers.Get(upper);

        // Assert
        Assert.Equal(name, parser.Name);
        Assert.Equal(source, parser.Source);
        Assert.Same(parser, TestReportParsers.Get(name));
    }

    [Fact]
    public void Get_UnknownName_ThrowsListingValidNames()
    {
        // Arrange
        const string name = "nunit";

        // Act
        var error = Assert.Throws<ArgumentException>(() => TestReportParsers.Get(name));

        // Assert
        Assert.Contains("'nunit'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pytest, junit, trx, go-test-json, tap, jest-json, ssr-json, node-jsonl, tape", error.Message, StringComparison.Ordinal);
        Assert.Equal("name", error.ParamName);
    }

    [Fact]
    public void TryGet_UnknownOrKnownName_ReportsWithoutThrowing()
    {
        // Arrange
        const string known = " tap ";

        // Act
        var foundKnown = TestReportParsers.TryGet(known, out var parser);
        var foundUnknown = TestReportParsers.TryGet("nope", out var missing);

        // Assert
        Assert.True(foundKnown);
        Assert.Equal("tap", parser!.Name);
        Assert.False(foundUnknown);
        Assert.Null(missing);
    }
}
