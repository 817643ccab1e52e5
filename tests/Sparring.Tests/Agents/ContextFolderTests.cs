using Microsoft.Extensions.AI;
using Sparring.Agents;
using Sparring.Llm;

namespace Sparring.Tests.Agents;

public sealed class ContextFolderTests
{
    private static readonly TrajectoryToolCall[] BashCall = [new("c1", "bash", "{\"command\":\"ls\"}")];

    [Fact]
    public void Fold_KeepsTheLastObservationsWholeAndFoldsOlderOnesToOneLine()
    {
        // Arrange
        List<TrajectoryMessage> messages =
        [
            new() { Role = "system", Content = "sys" },
            new() { Role = "user", Content = "task\nin two lines" },
            new() { Role = "assistant", Content = "", ToolCalls = BashCall },
            new() { Role = "tool", Content = "old\noutput\nlines", ToolName = "bash", ToolCallId = "c1" },
            new() { Role = "assistant", Content = "a2" },
            new() { Role = "user", Content = "<output>recent</output>", ToolName = "bash" },
        ];

        // Act
        var folded = ContextFolder.Fold(messages, keep: 1);

        // Assert
        Assert.Equal(messages.Count, folded.Count);
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(folded[3].Contents));
        Assert.Equal("c1", result.CallId);
        Assert.Equal("[Old output folded (3 lines); run the command again to see it.]", result.Result);
        Assert.Equal("<output>recent</output>", folded[5].Text);
        Assert.Equal("task\nin two lines", folded[1].Text);
        Assert.Equal("old\noutput\nlines", messages[3].Content);
    }

    [Fact]
    public void Fold_KeepZero_FoldsEveryObservationIncludingFormatErrorFeedback()
    {
        // Arrange
        List<TrajectoryMessage> messages =
        [
            new() { Role = "user", Content = "task" },
            new() { Role = "assistant", Content = "no action" },
            new() { Role = "user", Content = "Format error: no action found", IsError = true },
        ];

        // Act
        var folded = ContextFolder.Fold(messages, keep: 0);

        // Assert
        Assert.StartsWith("[Old output folded (1 lines)", folded[2].Text, StringComparison.Ordinal);
        Assert.Equal("task", folded[0].Text);
        Assert.Equal("no action", folded[1].Text);
    }

    [Fact]
    public void Fold_NativeToolCalls_AreSentBackAsTheCallsTheModelMade()
    {
        // Arrange
        List<TrajectoryMessage> messages =
        [
            new() { Role = "assistant", Content = "", ToolCalls = [.. BashCall, new TrajectoryToolCall("c2", "bash", "{not json")] },
        ];

        // Act
        var calls = ContextFolder.Fold(messages, keep: 5)[0].Contents.OfType<FunctionCallContent>().ToList();

        // Assert
        Assert.Equal(ChatRole.Assistant, ContextFolder.Fold(messages, keep: 5)[0].Role);
        Assert.Equal(["c1", "c2"], calls.Select(c => c.CallId));
        Assert.Equal("ls", calls[0].Arguments!["command"]?.ToString());
        Assert.Equal("{not json", calls[1].Arguments![OpenAiCompatibleChatClient.RawArgumentsKey]);
        Assert.DoesNotContain(ContextFolder.Fold(messages, keep: 5)[0].Contents, c => c is TextContent);
    }
}
