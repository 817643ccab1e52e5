using Microsoft.Extensions.AI;
using Sparring.Agents;

namespace Sparring.Tests.Agents;

public sealed class ContextFolderTests
{
    [Fact]
    public void Fold_KeepsTheLastObservationsWholeAndFoldsOlderOnesToOneLine()
    {
        // Arrange
        List<ChatMessage> history =
        [
            new(ChatRole.System, "sys"),
            new(ChatRole.User, "task"),
            new(ChatRole.Assistant, "a1"),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "old\noutput\nlines")]),
            new(ChatRole.Assistant, "a2"),
            new(ChatRole.User, "<output>recent</output>"),
        ];

        // Act
        var folded = ContextFolder.Fold(history, new HashSet<int> { 3, 5 }, keep: 1);

        // Assert
        Assert.Equal(history.Count, folded.Count);
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(folded[3].Contents));
        Assert.Equal("c1", result.CallId);
        Assert.Equal("[Old output folded (3 lines); run the command again to see it.]", result.Result);
        Assert.Same(history[5], folded[5]);
        Assert.Same(history[1], folded[1]);
        Assert.Equal("old\noutput\nlines", ((FunctionResultContent)history[3].Contents[0]).Result);
    }

    [Fact]
    public void Fold_KeepZero_FoldsEveryObservation()
    {
        // Arrange
        List<ChatMessage> history = [new(ChatRole.User, "task"), new(ChatRole.User, "obs")];

        // Act
        var folded = ContextFolder.Fold(history, new HashSet<int> { 1 }, keep: 0);

        // Assert
        Assert.StartsWith("[Old output folded (1 lines)", folded[1].Text, StringComparison.Ordinal);
        Assert.Equal("task", folded[0].Text);
    }
}
