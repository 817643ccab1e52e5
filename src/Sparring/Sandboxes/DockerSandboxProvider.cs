using Docker.DotNet;
using Docker.DotNet.Models;
using Sparring.Sandboxes.Internal;

namespace Sparring.Sandboxes;

/// <summary>
/// The Docker backend: a container per command, from <see cref="DockerSandboxSettings.Image"/>, on one of several
/// engines. The same containment as bubblewrap (no network, a read-only root, a private <c>/tmp</c>, capabilities
/// dropped, memory, process and CPU limits, the whole container killed on timeout) and the same workspace, bound in.
/// </summary>
public sealed class DockerSandboxProvider : ISandboxProvider, IDisposable
{
    private readonly DockerSandboxSettings _settings;
    private readonly DockerEnginePool _engines;
    private readonly TimeProvider _time;

    public DockerSandboxProvider(DockerSandboxSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings.Validate();
        _time = time ?? TimeProvider.System;
        _engines = new DockerEnginePool(settings.Hosts, settings.MaxContainersPerHost, settings.RequestTimeout, settings.HostRetryDelay, _time);
    }

    public string Name => "docker";

    /// <summary>The engines, in the order given.</summary>
    public IReadOnlyList<Uri> Hosts => [.. _engines.Engines.Select(e => e.Endpoint)];

    /// <summary>
    /// Pings every engine and looks for the image on each. An engine that does not answer is left out (and said in
    /// the answer when none does); one without the image is a problem, since a command sent to it would fail.
    /// </summary>
    public async Task<string?> CheckAvailableAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var answering = 0;
        foreach (var engine in _engines.Engines)
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await engine.Client.System.PingAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                // Something answers HTTP there, but not as an engine (a --docker-host with the wrong port).
                _engines.MarkDown(engine);
                problems.Add($"the Docker engine {engine.Endpoint} does not answer (a ping got HTTP {(int)ex.StatusCode}: is it a Docker engine?)");
                continue;
            }
            catch (Exception ex) when (DockerEngine.IsUnreachable(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _engines.MarkDown(engine);
                problems.Add($"the Docker engine {engine.Endpoint} does not answer ({ex.Message.Trim()})");
                continue;
            }

            try
            {
                await engine.Client.Images.InspectImageAsync(_settings.Image, bounded.Token).ConfigureAwait(false);
            }
            catch (DockerImageNotFoundException)
            {
                problems.Add($"the image '{_settings.Image}' is not on {engine.Endpoint} (build it with: sparring images build --docker-host {engine.Endpoint})");
            }
            catch (Exception ex) when (DockerEngine.IsUnreachable(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _engines.MarkDown(engine);
                problems.Add($"the Docker engine {engine.Endpoint} does not answer ({ex.Message.Trim()})");
                continue;
            }

            answering++;
        }

        return answering == 0 || problems.Count > 0 && problems.Any(p => p.StartsWith("the image", StringComparison.Ordinal))
            ? "Docker sandboxes cannot run: " + string.Join("; ", problems) + (answering == 0 ? ". Start dockerd, or name a running engine with --docker-host." : ".")
            : null;
    }

    public Task<ISandbox> CreateAsync(string workspacePath, SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var full = SandboxRequests.ExistingWorkspace(workspacePath, options);
        return Task.FromResult<ISandbox>(new DockerSandbox(full, options, _settings, _engines, _time));
    }

    /// <summary>
    /// Removes the containers that Sparring processes of this machine left when they were killed (kill -9, a crash):
    /// every container labelled as a sandbox whose owner is a process of this machine that is gone. Engines that do
    /// not answer are skipped. Returns how many were removed.
    /// </summary>
    public async Task<int> RemoveAbandonedAsync(CancellationToken cancellationToken = default) =>
        await RemoveAsync(c => DockerLabels.IsAbandoned(Label(c, DockerLabels.Owner)), askDownEngines: false, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// What every Sparring process does at its start, whatever its backend: when a Sparring process of this machine
    /// that ran containers was killed (its marker in the temp folder outlived it), removes the abandoned containers on
    /// the engines it named, then its marker. Cheap when there is none (a folder listing, no engine asked). Engines that
    /// do not answer keep the marker for a later start. Returns how many containers were removed.
    /// </summary>
    public static async Task<int> RemoveAbandonedOfKilledProcessesAsync(CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var (marker, engines) in DockerOwnerMarker.Abandoned())
        {
            if (engines.Count == 0)
            {
                DockerOwnerMarker.TryDelete(marker);
                continue;
            }

            using var provider = new DockerSandboxProvider(new DockerSandboxSettings { Hosts = engines, Image = "unused" });
            var answering = 0;
            foreach (var engine in provider._engines.Engines)
            {
                try
                {
                    await engine.Client.System.PingAsync(cancellationToken).ConfigureAwait(false);
                    answering++;
                }
                catch (Exception ex) when (DockerEngine.IsUnreachable(ex))
                {
                    provider._engines.MarkDown(engine);
                }
            }

            removed += await provider.RemoveAbandonedAsync(cancellationToken).ConfigureAwait(false);
            if (answering == engines.Count)
            {
                DockerOwnerMarker.TryDelete(marker);
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes Sparring's containers of one run (<see cref="DockerSandboxSettings.RunLabel"/>), whoever owns them, on
    /// every engine that answers, engines left out as down included (one that died mid-run may be back with the run's
    /// containers).
    /// </summary>
    public async Task<int> RemoveRunAsync(string run, CancellationToken cancellationToken = default) =>
        await RemoveAsync(c => Label(c, DockerLabels.Run) == run, askDownEngines: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Sparring's containers on every answering engine, running or not.</summary>
    public Task<IReadOnlyList<(Uri Host, ContainerListResponse Container)>> ListAsync(CancellationToken cancellationToken = default) =>
        ListAsync(askDownEngines: false, cancellationToken);

    private async Task<IReadOnlyList<(Uri Host, ContainerListResponse Container)>> ListAsync(bool askDownEngines, CancellationToken cancellationToken)
    {
        var all = new List<(Uri, ContainerListResponse)>();
        foreach (var engine in _engines.Engines.Where(e => askDownEngines || !e.IsDown(_time)))
        {
            try
            {
                var containers = await engine.Client.Containers.ListContainersAsync(
                    new ContainersListParameters
                    {
                        All = true,
                        Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [DockerLabels.Sandbox] = true } },
                    },
                    cancellationToken).ConfigureAwait(false);
                all.AddRange(containers.Select(c => (engine.Endpoint, c)));
            }
            catch (Exception ex) when (DockerEngine.IsUnreachable(ex) || ex is DockerApiException { StatusCode: System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.NotImplemented })
            {
                // Not there, or not an engine (an engine knows this call): skipped, as the reaper at start-up must go on.
                _engines.MarkDown(engine);
            }
        }

        return all;
    }

    private async Task<int> RemoveAsync(Func<ContainerListResponse, bool> select, bool askDownEngines, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (host, container) in await ListAsync(askDownEngines, cancellationToken).ConfigureAwait(false))
        {
            if (!select(container))
            {
                continue;
            }

            var engine = _engines.Engines.First(e => e.Endpoint == host);
            try
            {
                await engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (Exception ex) when (ex is DockerContainerNotFoundException || ex is DockerApiException { StatusCode: System.Net.HttpStatusCode.Conflict })
            {
                // Removed in between, or being removed now (by its owner, or another pruner).
            }
            catch (Exception ex) when (DockerEngine.IsUnreachable(ex))
            {
                // The engine went away after listing: what it holds is removed another time.
                _engines.MarkDown(engine);
            }
        }

        return removed;
    }

    private static string? Label(ContainerListResponse container, string key) =>
        container.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public void Dispose() => _engines.Dispose();
}
