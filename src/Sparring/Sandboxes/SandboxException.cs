namespace Sparring.Sandboxes;

/// <summary>The sandbox itself failed (could not start, could not apply its limits): broken infrastructure, not a command's result.</summary>
public sealed class SandboxException(string message) : Exception(message);
