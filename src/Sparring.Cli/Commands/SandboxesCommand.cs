using System.CommandLine;
using Sparring.Sandboxes;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring sandboxes ls|prune</c>: the containers Sparring runs commands in.</summary>
internal static class SandboxesCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("sandboxes", "Sparring's Docker containers: list them, remove what killed runs left (see docs/sandbox.md).");
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Prune(console));
        return command;
    }

    private static Command List(CliConsole console)
    {
        var host = DockerHostOption.Create();
        var command = new Command("ls", "List Sparring's containers on each engine: host, id, state, run, owner.") { host };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, json: false, async () =>
        {
            var hosts = DockerHostOption.Hosts(result, host);
            using var provider = Provider(hosts);
            var containers = await DockerHostOption.GuardAsync(hosts, () => provider.ListAsync(cancellationToken)).ConfigureAwait(false);
            await console.Out.WriteLineAsync("HOST\tCONTAINER\tSTATE\tRUN\tOWNER").ConfigureAwait(false);
            foreach (var (engine, container) in containers)
            {
                var labels = new Dictionary<string, string>(container.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                await console.Out.WriteLineAsync(
                    $"{engine}\t{container.ID[..Math.Min(12, container.ID.Length)]}\t{container.State}\t{labels.GetValueOrDefault("sparring.run", "")}\t{labels.GetValueOrDefault("sparring.owner", "")}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Prune(CliConsole console)
    {
        var host = DockerHostOption.Create();
        var run = new Option<string?>("--run") { HelpName = "RUN", Description = "Remove this run's containers, whoever owns them (default: those whose owner, a Sparring process of this machine, is gone)." };
        var command = new Command("prune", "Remove the containers that killed Sparring processes left (or one run's).") { host, run };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, json: false, async () =>
        {
            var hosts = DockerHostOption.Hosts(result, host);
            using var provider = Provider(hosts);
            var removed = await DockerHostOption.GuardAsync(hosts, () => result.GetValue(run) is { } named
                ? provider.RemoveRunAsync(named, cancellationToken)
                : provider.RemoveAbandonedAsync(cancellationToken)).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"removed {removed} container(s)").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>A provider only for listing and removing: no image is needed.</summary>
    private static DockerSandboxProvider Provider(IReadOnlyList<Uri> hosts) => new(new DockerSandboxSettings { Hosts = hosts, Image = "unused" });
}
