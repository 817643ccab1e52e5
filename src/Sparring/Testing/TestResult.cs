namespace Sparring.Testing;

/// <summary>The result of one test case as a parser read it.</summary>
public sealed record TestResult
{
    /// <summary>A stable id: pytest node id, <c>package/TestName</c> for Go, the fully qualified name for .NET.</summary>
    public required string Id { get; init; }

    public required TestStatus Status { get; init; }

    /// <summary>Duration reported by the runner, when it reports one.</summary>
    public double? DurationMs { get; init; }

    /// <summary>Failure or skip message, when the runner gives one (trimmed to a few hundred characters).</summary>
    public string? Message { get; init; }
}
