namespace Sparring.Agents.Internal;

/// <summary>A model turn as read: the assistant message, its actions, the format error when none can run, and the actions ignored.</summary>
internal sealed record ParsedTurn(TrajectoryMessage Message, IReadOnlyList<PlannedAction> Actions, string? FormatError, int IgnoredActions);
