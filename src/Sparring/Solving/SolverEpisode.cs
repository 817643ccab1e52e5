using Sparring.Agents;
using Sparring.Artifacts;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>One solver attempt between its stages: the task's workspace and sandbox, then the episode's result.</summary>
/// <remarks>Disposing frees the workspace and sandbox; the result stays for grading.</remarks>
public sealed class SolverEpisode : IAsyncDisposable
{
    private bool _disposed;

    internal SolverEpisode(PreparedEnvironment environment, BugArtifact artifact, int attempt, string directory, SolverTask task, ISandbox sandbox, long started)
    {
        Environment = environment;
        Artifact = artifact;
        Attempt = attempt;
        Directory = directory;
        Task = task;
        Sandbox = sandbox;
        Started = started;
    }

    public PreparedEnvironment Environment { get; }

    public BugArtifact Artifact { get; }

    public int Attempt { get; }

    /// <summary>The attempt's folder (trajectory.json, pred_patch.diff).</summary>
    public string Directory { get; }

    public string TrajectoryPath => Path.Combine(Directory, "trajectory.json");

    internal SolverTask Task { get; }

    internal ISandbox Sandbox { get; }

    internal long Started { get; }

    /// <summary>Set when the episode has run.</summary>
    public AgentResult? Result { get; internal set; }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Sandbox.DisposeAsync().ConfigureAwait(false);
        await Task.DisposeAsync().ConfigureAwait(false);
    }
}
