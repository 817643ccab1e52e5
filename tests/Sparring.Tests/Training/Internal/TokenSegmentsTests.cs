using Sparring.Agents;
using Sparring.Llm;
using Sparring.Training.Internal;

namespace Sparring.Tests.Training.Internal;

public sealed class TokenSegmentsTests
{
    private static TrajectoryMessage Assistant(int[] prompt, int[] completion, bool logprobs = true) => new()
    {
        Role = "assistant",
        Content = "x",
        Turn = new ModelTurn
        {
            PromptTokenIds = prompt,
            CompletionTokenIds = completion,
            Logprobs = logprobs ? [.. completion.Select(id => new TokenLogprob("t", -0.5 * id, id))] : null,
        },
    };

    private static Trajectory Of(params TrajectoryMessage[] messages) => new()
    {
        Id = "t",
        Role = "solver",
        ActionFormat = "native",
        StartedAt = DateTimeOffset.UnixEpoch,
        Budgets = new TrajectoryBudgets(10, 100, 60, 5, 3),
        Messages = [new TrajectoryMessage { Role = "system", Content = "s" }, .. messages],
    };

    [Fact]
    public void Build_PromptsExtendEachOther_OneSegmentWithObservationsMaskedOut()
    {
        // Arrange: turn 2's prompt = turn 1's prompt + completion + observation tokens 7, 8.
        var trajectory = Of(
            Assistant([1, 2, 3], [10, 11]),
            new TrajectoryMessage { Role = "tool", Content = "obs" },
            Assistant([1, 2, 3, 10, 11, 7, 8], [12]));

        // Act
        var (segments, missing) = TokenSegments.Build(trajectory);

        // Assert
        Assert.Null(missing);
        var segment = Assert.Single(segments!);
        Assert.Equal([1, 2, 3], segment.PromptTokenIds);
        Assert.Equal([10, 11, 7, 8, 12], segment.ResponseIds);
        Assert.Equal([1, 1, 0, 0, 1], segment.LossMask);
        Assert.Equal([-5, -5.5, 0, 0, -6], segment.Logprobs!);
    }

    [Fact]
    public void Build_PromptRewritten_StartsANewSegment()
    {
        // Arrange: turn 2's prompt does not start with turn 1's prompt + completion (an earlier observation was folded).
        var trajectory = Of(
            Assistant([1, 2, 3], [10]),
            Assistant([1, 2, 9, 10, 7], [11]),
            Assistant([1, 2, 9, 10, 7, 11, 6], [12, 13]));

        // Act
        var (segments, _) = TokenSegments.Build(trajectory);

        // Assert
        Assert.Equal(2, segments!.Count);
        Assert.Equal([1, 2, 3], segments[0].PromptTokenIds);
        Assert.Equal([10], segments[0].ResponseIds);
        Assert.Equal([1, 2, 9, 10, 7], segments[1].PromptTokenIds);
        Assert.Equal([11, 6, 12, 13], segments[1].ResponseIds);
        Assert.Equal([1, 0, 1, 1], segments[1].LossMask);
    }

    [Fact]
    public void Build_ATurnWithoutIdsOrLogprobs_NoSegmentsOrNoLogprobs()
    {
        // Arrange
        var noIds = Of(Assistant([1], [2]), new TrajectoryMessage { Role = "assistant", Content = "y", Turn = new ModelTurn() });
        var noLogprobs = Of(Assistant([1], [2]), Assistant([1, 2, 5], [3], logprobs: false));

        // Act
        var (none, missing) = TokenSegments.Build(noIds);
        var (segments, _) = TokenSegments.Build(noLogprobs);
        var (empty, why) = TokenSegments.Build(Of());

        // Assert
        Assert.Null(none);
        Assert.Contains("turn 2 has no token ids", missing, StringComparison.Ordinal);
        Assert.Null(Assert.Single(segments!).Logprobs);
        Assert.Equal([2, 5, 3], segments![0].ResponseIds);
        Assert.Null(empty);
        Assert.Contains("no assistant turn", why, StringComparison.Ordinal);
    }
}
