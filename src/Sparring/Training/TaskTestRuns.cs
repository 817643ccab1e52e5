using Sparring.Testing;

namespace Sparring.Training;

/// <summary>Repeated runs of one task's test suite on the same code: each run is a map test id → status.</summary>
public sealed record TaskTestRuns
{
    public required string TaskId { get; init; }

    public required IReadOnlyList<IReadOnlyDictionary<string, TestStatus>> Runs { get; init; }
}
