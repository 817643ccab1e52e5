using Sparring.Solving;

namespace Sparring.Cli.Commands;

/// <summary>What <c>solve</c> prints with <c>--json</c> and writes to <c>solve.json</c>.</summary>
internal sealed record SolveReport
{
    public required string Artifact { get; init; }

    public required string Solver { get; init; }

    /// <summary><c>solver</c> or <c>test-writer</c> (then <c>solved</c> means the generated test reproduces the bug).</summary>
    public required string Role { get; init; }

    /// <summary>The reward each attempt carries: <c>binary</c> or <c>similarity</c> (solver), <c>fail-to-pass</c> (test writer).</summary>
    public required string Reward { get; init; }

    public required IReadOnlyList<SolveAttempt> Attempts { get; init; }

    public required int Solved { get; init; }

    /// <summary>Attempts graded tampered (not solved; they count against the solve rate).</summary>
    public int Tampered { get; init; }

    public required double SolveRate { get; init; }
}
