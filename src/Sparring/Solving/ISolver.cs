using Sparring.Artifacts;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// A solver: one attempt at an artifact's bug, graded, as a <see cref="SolveAttempt"/>. The attempt's files (the
/// submitted <c>pred_patch.diff</c>, a trajectory when there is one) go under the attempt directory, which the caller
/// owns. <see cref="SolverAgent"/> and <see cref="MutationSearchSolver"/> are the two implementations.
/// </summary>
public interface ISolver
{
    /// <summary>Runs attempt number <paramref name="attempt"/> on <paramref name="artifact"/>, writing into <paramref name="attemptDirectory"/>.</summary>
    Task<SolveAttempt> SolveAsync(PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default);
}
