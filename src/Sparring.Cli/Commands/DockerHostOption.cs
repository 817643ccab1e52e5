using System.CommandLine;
using Sparring.Sandboxes;

namespace Sparring.Cli.Commands;

/// <summary><c>--docker-host</c> for the verbs that manage Docker engines (images, sandboxes).</summary>
internal static class DockerHostOption
{
    public static Option<string[]> Create() => new("--docker-host")
    {
        HelpName = "ADDRESS",
        Description = "An engine, unix:///path.sock or tcp://HOST:PORT (repeatable; default: DOCKER_HOST, else the local socket).",
    };

    /// <summary>The engines named, or the default one.</summary>
    public static IReadOnlyList<Uri> Hosts(ParseResult result, Option<string[]> option) =>
        result.GetValue(option) is { Length: > 0 } given ? [.. given.Select(DockerSandboxSettings.ParseHost)] : [DockerSandboxSettings.DefaultHost];

    /// <summary>An engine that does not answer is an environment problem with what to do, not a stack trace.</summary>
    public static async Task<T> GuardAsync<T>(IReadOnlyList<Uri> hosts, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or Docker.DotNet.DockerApiException)
        {
            throw new CliEnvironmentException($"A Docker engine of {string.Join(", ", hosts)} failed: {ex.Message}. Start dockerd, or name a running engine with --docker-host.");
        }
        catch (InvalidOperationException ex)
        {
            throw new CliEnvironmentException(ex.Message);
        }
    }
}
