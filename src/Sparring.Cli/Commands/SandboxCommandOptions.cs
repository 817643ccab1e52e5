using System.CommandLine;
using Sparring.Sandboxes;

namespace Sparring.Cli.Commands;

/// <summary>The sandbox options every verb that runs code shares: the backend and, for Docker, its engines and image.</summary>
internal sealed class SandboxCommandOptions
{
    public Option<string> Backend { get; } = new("--sandbox")
    {
        HelpName = "BACKEND",
        Description = "Where commands run: bwrap (bubblewrap, a process per command) or docker (a container per command, see docs/sandbox.md).",
        DefaultValueFactory = _ => "bwrap",
    };

    public Option<string[]> DockerHosts { get; } = new("--docker-host")
    {
        HelpName = "ADDRESS",
        Description = "With --sandbox docker: an engine to run containers on, unix:///path.sock or tcp://HOST:PORT (repeatable: containers spread over all; default: DOCKER_HOST, else the local socket).",
    };

    public Option<string?> DockerImage { get; } = new("--docker-image")
    {
        HelpName = "IMAGE",
        Description = "With --sandbox docker: the image containers start from (default: Sparring's Debian base image, built here with debootstrap on first use).",
    };

    public IEnumerable<Option> All => [Backend, DockerHosts, DockerImage];

    /// <summary>The choice the command line makes; a bad value is a usage error naming the option.</summary>
    public SandboxChoice Choice(ParseResult result)
    {
        var backend = result.GetValue(Backend) ?? "bwrap";
        if (backend is not ("bwrap" or "docker"))
        {
            throw new ArgumentException($"--sandbox must be bwrap or docker, got '{backend}'");
        }

        var hosts = result.GetValue(DockerHosts) ?? [];
        var image = result.GetValue(DockerImage);
        if (backend != "docker" && (hosts.Length > 0 || image is not null))
        {
            throw new ArgumentException("--docker-host and --docker-image need --sandbox docker");
        }

        return new SandboxChoice(backend, hosts.Length == 0 ? [DockerSandboxSettings.DefaultHost] : [.. hosts.Select(DockerSandboxSettings.ParseHost)], image);
    }
}
