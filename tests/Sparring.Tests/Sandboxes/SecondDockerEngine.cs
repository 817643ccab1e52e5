using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Sandboxes;

/// <summary>
/// A second dockerd for the tests that spread commands over two engines, started on first use (not for every test of
/// the class) with the tests' image copied into it from the default engine, and stopped and deleted at the end.
/// </summary>
public sealed class SecondDockerEngine : IAsyncLifetime
{
    private DockerDaemon? _daemon;

    /// <summary>The daemon when a test has started it, else null (for cleaning up after a test).</summary>
    public DockerDaemon? Started => _daemon;

    /// <summary>The running daemon, started (or started again after a test killed it) with the tests' image.</summary>
    public async Task<DockerDaemon> GetAsync()
    {
        if (_daemon is null)
        {
            _daemon = await DockerDaemon.StartAsync();
        }
        else
        {
            await _daemon.RestartAsync();
        }

        // Copied from the default engine, which has it: seconds, not a debootstrap.
        await DockerEngines.ImageAsync();
        await DockerImages.EnsureAsync([DockerSandboxSettings.DefaultHost, _daemon.Tcp], DockerEngines.Recipe);
        return _daemon;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}
