namespace Sparring.Runs;

/// <summary>A run's state at one moment, for a live display.</summary>
/// <param name="Round">The round in progress (0 before the first).</param>
/// <param name="Rounds">Rounds the run will have.</param>
/// <param name="Summary">Totals as of the last finished unit of injection or the last round, or null before any.</param>
/// <param name="AttemptsThisRound">Attempts graded in the current round so far.</param>
/// <param name="SolvedThisRound">Of those, solved.</param>
/// <param name="TamperedThisRound">Of those, graded tampered.</param>
/// <param name="Queues">The attempt pipeline's stages.</param>
public sealed record SelfPlayStatus(int Round, int Rounds, RunSummary? Summary, int AttemptsThisRound, int SolvedThisRound, int TamperedThisRound, DispatcherSnapshot Queues);
