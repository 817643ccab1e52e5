using Sparring.Agents;

namespace Sparring.Tests.Agents;

public sealed class TextActionsTests
{
    [Fact]
    public void Parse_OneAction_ReturnsNameAndBodyWithoutTheFramingNewlines()
    {
        // Act
        var (name, body, error, extra) = TextActions.Parse("Let me look.\n<tool: bash>\nls -la\ncat a.txt\n</tool>");

        // Assert
        Assert.Null(error);
        Assert.Equal("bash", name);
        Assert.Equal("ls -la\ncat a.txt", body);
        Assert.Equal(0, extra);
    }

    [Fact]
    public void Parse_TwoActions_TakesTheFirstAndCountsTheRest()
    {
        // Act
        var (name, body, error, extra) = TextActions.Parse("<tool: bash>\nls\n</tool>\n<tool: submit>\n</tool>");

        // Assert
        Assert.Null(error);
        Assert.Equal("bash", name);
        Assert.Equal("ls", body);
        Assert.Equal(1, extra);
    }

    [Theory]
    [InlineData("no action here", "no action found")]
    [InlineData("<tool: bash>\nls", "is not closed")]
    public void Parse_Malformed_ReturnsAnErrorTheModelCanActOn(string text, string expected)
    {
        // Act
        var (name, _, error, _) = TextActions.Parse(text);

        // Assert
        Assert.Null(name);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("</tool>", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_RoundTripsThroughParse()
    {
        // Arrange
        var text = TextActions.Format("edit", "### a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE");

        // Act
        var (name, body, error, _) = TextActions.Parse(text);

        // Assert
        Assert.Null(error);
        Assert.Equal("edit", name);
        Assert.Equal("### a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE", body);
    }
}
