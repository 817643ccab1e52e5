namespace Sparring.Testing.Instrumentation;

/// <summary>What the plugin wrote: pytest's exit status and each node id's outcome.</summary>
public sealed record PytestReport(int ExitStatus, IReadOnlyDictionary<string, string> Tests)
{
    /// <summary>Whether the report was there but not the plugin's JSON (something else wrote it).</summary>
    public bool Malformed { get; init; }
}
