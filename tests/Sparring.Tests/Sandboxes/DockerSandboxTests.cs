using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Sandboxes;

/// <summary>The conformance suite over Docker (a container per command on the local engine), plus what only Docker has.</summary>
public sealed class DockerSandboxTests : SandboxConformanceTests, IAsyncLifetime
{
    private DockerSandboxProvider? _provider;

    public async Task InitializeAsync() => _provider = new DockerSandboxProvider(await DockerEngines.SettingsAsync());

    public Task DisposeAsync()
    {
        _provider?.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<ISandbox> CreateSandboxAsync(string workspace, SandboxOptions options) =>
        _provider!.CreateAsync(workspace, options);
}
