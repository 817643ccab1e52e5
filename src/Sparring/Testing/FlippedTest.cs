namespace Sparring.Testing;

/// <summary>A test whose outcome differed across runs of the same code.</summary>
public sealed record FlippedTest
{
    public required string TestId { get; init; }

    /// <summary>Its status in each run, in run order; null where the run did not report the test.</summary>
    public required IReadOnlyList<TestStatus?> Statuses { get; init; }
}
