using Docker.DotNet;

namespace Sparring.Sandboxes.Internal;

/// <summary>One Docker engine: its client, its slots for containers and whether it answers.</summary>
internal sealed class DockerEngine : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private long _downUntilTicks;

    /// <param name="endpoint">The engine's address.</param>
    /// <param name="slots">Containers it runs at once.</param>
    /// <param name="requestTimeout">The limit of one request; the client exempts waits and attached streams from it.</param>
    public DockerEngine(Uri endpoint, int slots, TimeSpan requestTimeout)
    {
        Endpoint = endpoint;
        Client = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(requestTimeout).Build();
        _slots = new SemaphoreSlim(slots, slots);
    }

    public Uri Endpoint { get; }

    public DockerClient Client { get; }

    /// <summary>Free container slots now.</summary>
    public int FreeSlots => _slots.CurrentCount;

    public bool IsDown(TimeProvider time) => time.GetUtcNow().UtcTicks < Interlocked.Read(ref _downUntilTicks);

    /// <summary>Leaves the engine out until <paramref name="delay"/> has passed.</summary>
    public void MarkDown(TimeProvider time, TimeSpan delay) => Interlocked.Exchange(ref _downUntilTicks, (time.GetUtcNow() + delay).UtcTicks);

    public void MarkUp() => Interlocked.Exchange(ref _downUntilTicks, 0);

    public Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void ReleaseSlot() => _slots.Release();

    public void Dispose()
    {
        Client.Dispose();
        _slots.Dispose();
    }

    /// <summary>
    /// True when <paramref name="exception"/> says the engine itself cannot be reached or broke the connection (as
    /// opposed to an answer it gave): the work can go to another engine.
    /// </summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException
        || (exception is DockerApiException api && (int)api.StatusCode >= 500 && (api.ResponseBody ?? "").Contains("connect", StringComparison.OrdinalIgnoreCase))
        || (exception.InnerException is { } inner && IsUnreachable(inner));
}
