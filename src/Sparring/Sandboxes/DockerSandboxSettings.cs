namespace Sparring.Sandboxes;

/// <summary>Where and how the Docker backend runs its containers.</summary>
public sealed record DockerSandboxSettings
{
    /// <summary>The engine <c>DOCKER_HOST</c> names, else the local socket.</summary>
    public static Uri DefaultHost =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? ParseHost(host) : new Uri("unix:///var/run/docker.sock");

    /// <summary>
    /// The engines to spread containers over (<c>unix://</c> sockets or <c>tcp://</c> addresses). The workspace is bound
    /// into each container by its path, so every engine must see this machine's files at the same paths: engines on
    /// this machine, or on machines sharing its filesystem.
    /// </summary>
    public IReadOnlyList<Uri> Hosts { get; init; } = [DefaultHost];

    /// <summary>The image every container starts from (see <see cref="DockerImages"/>).</summary>
    public required string Image { get; init; }

    /// <summary>Containers one engine runs at once; more wait for a slot.</summary>
    public int MaxContainersPerHost { get; init; } = 16;

    /// <summary>CPUs each container may use (a fraction is a share of one). Null: no limit.</summary>
    public double? CpusPerContainer { get; init; }

    /// <summary>
    /// How long one Engine API request may take (create, inspect, remove, list; not the wait for a command, which its
    /// own timeout bounds): an engine that accepts connections but never answers is then left out like a dead one.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an engine that stopped answering is left out before it is tried again.</summary>
    public TimeSpan HostRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Names the run in the containers' labels (<c>sparring.run</c>), so they can be told apart and pruned.</summary>
    public string? RunLabel { get; init; }

    /// <summary>Reads one <c>--docker-host</c> value: a <c>unix://</c> socket, a <c>tcp://</c> address or a socket path.</summary>
    /// <exception cref="ArgumentException">Anything else, with the forms that are understood.</exception>
    public static Uri ParseHost(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith('/'))
        {
            value = "unix://" + value;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && ((uri.Scheme == "unix" && uri.AbsolutePath.Length > 1) || (uri.Scheme is "tcp" or "http" && uri.Port > 0 && uri.Host.Length > 0)))
        {
            return uri;
        }

        throw new ArgumentException($"'{value}' is not a Docker engine address: give unix:///path/to/docker.sock, /path/to/docker.sock or tcp://HOST:PORT.");
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public DockerSandboxSettings Validate()
    {
        if (Hosts.Count == 0)
        {
            throw new ArgumentException("At least one Docker host is needed.");
        }

        if (string.IsNullOrWhiteSpace(Image))
        {
            throw new ArgumentException($"{nameof(Image)} must name an image.");
        }

        if (MaxContainersPerHost < 1)
        {
            throw new ArgumentException($"{nameof(MaxContainersPerHost)} must be at least 1, got {MaxContainersPerHost}.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(RequestTimeout)} must be positive, got {RequestTimeout}.");
        }

        if (CpusPerContainer is <= 0)
        {
            throw new ArgumentException($"{nameof(CpusPerContainer)} must be positive, got {CpusPerContainer}.");
        }

        return this;
    }
}
