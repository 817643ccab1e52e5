using System.Text.Json;
using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class StopReasonTests
{
    [Fact]
    public void WellKnownValues_MatchAgentLoopAndTrainerNames()
    {
        // Arrange, Act, Assert: the agent loop's AgentExit strings compare equal.
        Assert.Equal(StopReason.TurnLimit, new StopReason(Sparring.Agents.AgentExit.TurnLimit.Value));
        Assert.Equal(StopReason.WallClock, new StopReason(Sparring.Agents.AgentExit.WallClock.Value));
        Assert.Equal(StopReason.TokenLimit, new StopReason(Sparring.Agents.AgentExit.TokenLimit.Value));
        Assert.Equal(StopReason.Submitted, new StopReason(Sparring.Agents.AgentExit.Submitted.Value));
        Assert.Equal("length", StopReason.Length.Value);
        Assert.Equal("timeout", StopReason.Timeout.Value);
        Assert.Equal("max-steps", StopReason.MaxSteps.Value);
    }

    [Fact]
    public void Json_UnknownReason_SurvivesRoundTripVerbatim()
    {
        // Arrange
        var reason = new StopReason("Sandbox-Crash");

        // Act
        var json = JsonSerializer.Serialize(reason);
        var back = JsonSerializer.Deserialize<StopReason>(json);

        // Assert
        Assert.Equal("\"Sandbox-Crash\"", json);
        Assert.Equal(reason, back);
        Assert.NotEqual(new StopReason("sandbox-crash"), back);
    }

    [Fact]
    public void Json_Null_Throws()
    {
        // Arrange, Act, Assert
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StopReason>("null"));
        Assert.Throws<ArgumentException>(() => new StopReason(""));
    }
}
