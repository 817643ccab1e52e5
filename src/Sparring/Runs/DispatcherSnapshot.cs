namespace Sparring.Runs;

/// <summary>Items per stage at one moment.</summary>
public sealed record DispatcherSnapshot(int Waiting, int Preparing, int QueuedForSolver, int Solving, int QueuedForGrading, int Grading, int Done);
