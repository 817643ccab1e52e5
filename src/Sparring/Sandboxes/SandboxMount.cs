namespace Sparring.Sandboxes;

/// <summary>A host path made visible inside the sandbox.</summary>
/// <param name="HostPath">Absolute path on the host; skipped when it does not exist.</param>
/// <param name="SandboxPath">Absolute path inside the sandbox.</param>
/// <param name="ReadOnly">True to forbid writes from inside.</param>
public sealed record SandboxMount(string HostPath, string SandboxPath, bool ReadOnly);
