namespace Sparring.TestUtilities;

/// <summary>One scripted tool call; <see cref="ArgumentsJson"/> is sent verbatim.</summary>
internal sealed record ScriptedModelToolCall(string Name, string ArgumentsJson);
