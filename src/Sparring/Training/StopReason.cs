using System.Text.Json.Serialization;
using Sparring.Training.Internal;

namespace Sparring.Training;

/// <summary>
/// Why a rollout ended. An extensible string value: the well-known values cover the agent loop's
/// endings (the strings of <c>AgentExit</c> map one to one) and the names other trainers use; any
/// other string survives a round trip unchanged. Compared ordinally, as given.
/// </summary>
[JsonConverter(typeof(StopReasonJsonConverter))]
public readonly record struct StopReason
{
    /// <summary>The policy submitted a patch: a natural ending.</summary>
    public static StopReason Submitted { get; } = new("submitted");

    /// <summary>The response or context hit the maximum length (verl, DAPO: "overlong").</summary>
    public static StopReason Length { get; } = new("length");

    /// <summary>The token budget over the whole episode ran out (the agent loop's <c>token-limit</c>).</summary>
    public static StopReason TokenLimit { get; } = new("token-limit");

    /// <summary>The episode ran out of time (trainer name).</summary>
    public static StopReason Timeout { get; } = new("timeout");

    /// <summary>The episode ran out of time (the agent loop's <c>wall-clock</c>).</summary>
    public static StopReason WallClock { get; } = new("wall-clock");

    /// <summary>The step budget ran out (trainer name).</summary>
    public static StopReason MaxSteps { get; } = new("max-steps");

    /// <summary>The turn budget ran out (the agent loop's <c>turn-limit</c>).</summary>
    public static StopReason TurnLimit { get; } = new("turn-limit");

    /// <param name="value">The reason as written by whoever ended the rollout; kept verbatim.</param>
    public StopReason(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value ?? "";
}
