using Sparring.Artifacts;
using Sparring.Solving;
using Sparring.Testing;

namespace Sparring.Runs;

public sealed partial class StagedDispatcher
{
    /// <summary>
    /// One attempt of <paramref name="agent"/> through the stages: its task's workspace and sandbox, the episode, the
    /// grading; writes into <paramref name="attemptDirectory"/> (emptied first, so a redone attempt keeps nothing of a lost one).
    /// </summary>
    /// <remarks>The episode's workspace and sandbox are freed however the attempt ends.</remarks>
    public async Task<SolveAttempt> AttemptAsync(
        SolverAgent agent, PreparedEnvironment environment, BugArtifact artifact, int attempt, string attemptDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(attemptDirectory);
        if (Directory.Exists(attemptDirectory))
        {
            Directory.Delete(attemptDirectory, recursive: true);
        }

        SolverEpisode? episode = null;
        try
        {
            return await RunItemAsync(
                async ct => episode = await agent.PrepareAsync(environment, artifact, attempt, attemptDirectory, ct).ConfigureAwait(false),
                async (e, ct) =>
                {
                    await agent.RunEpisodeAsync(e, ct).ConfigureAwait(false);
                    return e;
                },
                agent.GradeAsync,
                cancellationToken).ConfigureAwait(false);
        }
        catch when (episode is not null)
        {
            // Cancelled while waiting for a solver, the episode never ran, and only running it frees it.
            await episode.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
