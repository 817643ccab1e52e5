namespace Sparring.Testing;

/// <summary>What a probe found: the plan, the preparation, and one test run.</summary>
public sealed record ProbeResult
{
    public required string Repository { get; init; }
    public required string Commit { get; init; }

    /// <summary>True when the repository's tracked files differ from the probed commit (the probe ran the commit).</summary>
    public required bool UncommittedChanges { get; init; }

    public required TestPlan Plan { get; init; }
    public required PreparedEnvironment Environment { get; init; }
    /// <summary>The first run of the suite: what the probe reports and its exit code rests on.</summary>
    public required TestRun Run { get; init; }

    /// <summary>Every run, the first included (<see cref="ProbeOptions.Runs"/>).</summary>
    public IReadOnlyList<TestRun> Runs { get; init; } = [];

    /// <summary>The tests whose status varied across <see cref="Runs"/>; empty after a single run.</summary>
    public IReadOnlyList<FlippedTest> Flaky { get; init; } = [];
}
