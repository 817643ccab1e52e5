using System.CommandLine;
using System.Globalization;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring images ls|build|prune</c>: the images Sparring builds for Docker sandboxes.</summary>
internal static class ImagesCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("images", "Sparring's Docker images: list, build, prune (see docs/sandbox.md).");
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Build(console));
        command.Subcommands.Add(Prune(console));
        return command;
    }

    private static Command List(CliConsole console)
    {
        var host = DockerHostOption.Create();
        var command = new Command("ls", "List Sparring's images on each engine: host, reference, id, size, age.") { host };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, json: false, async () =>
        {
            var hosts = DockerHostOption.Hosts(result, host);
            var images = await DockerHostOption.GuardAsync(hosts, () => DockerImages.ListAsync(hosts, cancellationToken)).ConfigureAwait(false);
            await console.Out.WriteLineAsync("HOST\tIMAGE\tID\tSIZE\tCREATED").ConfigureAwait(false);
            foreach (var (engine, image) in images)
            {
                var tags = image.RepoTags is { Count: > 0 } named ? string.Join(",", named) : "<none>";
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{engine}\t{tags}\t{image.ID[..Math.Min(19, image.ID.Length)]}\t{image.Size / (1024 * 1024)} MiB\t{image.Created:yyyy-MM-dd HH:mm}")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Build(CliConsole console)
    {
        var host = DockerHostOption.Create();
        var repo = new Option<string?>("--repo") { HelpName = "PATH", Description = "Also build the image of this repository at --commit: the base image with the prepared tree at /repo and its caches, so its suite runs with no network (sparring-repo:NAME-COMMIT12-HASH)." };
        var commit = new Option<string?>("--commit") { Description = "With --repo: the commit (default HEAD)." };
        var baseImage = new Option<string?>("--base") { HelpName = "IMAGE", Description = "With --repo: the image to build on (default: Sparring's base image, built first when missing)." };
        var noInstall = new Option<bool>("--no-install") { Description = "With --repo: never apt-get install missing toolchains." };
        var environment = new EnvironmentCommandOptions();
        var command = new Command("build", "Build Sparring's base image (debootstrap of this machine's Debian suite, then import; root only) on every engine that lacks it; an engine that has it hands it to the others. With --repo, also the repository's own image.")
        {
            host, repo, commit, baseImage, noInstall, environment.TestCommand, environment.Parser, environment.Environment, environment.SetupCommands, environment.BuildProperties, environment.Config,
        };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, json: false, async () =>
        {
            var hosts = DockerHostOption.Hosts(result, host);
            if (result.GetValue(repo) is null && (result.GetValue(commit) is not null || result.GetValue(baseImage) is not null))
            {
                throw new ArgumentException("--commit and --base need --repo");
            }

            var chosenBase = result.GetValue(baseImage);
            if (chosenBase is null)
            {
                var recipe = DockerImageRecipe.ForThisMachine();
                var added = await DockerHostOption.GuardAsync(hosts, () => DockerImages.EnsureAsync(hosts, recipe, step => console.Error.WriteLine($"sparring: docker: {step}"), cancellationToken)).ConfigureAwait(false);
                await console.Out.WriteLineAsync(added.Count == 0
                    ? $"{recipe.Reference}: already on every engine"
                    : $"{recipe.Reference}: added to {string.Join(", ", added)}").ConfigureAwait(false);
                chosenBase = recipe.Reference;
            }

            if (result.GetValue(repo) is not { } path)
            {
                return ExitCodes.Success;
            }

            var repository = await GitRepository.OpenAsync(path, cancellationToken).ConfigureAwait(false);
            var settings = await environment.ResolveAsync(result, environment.Overrides(result), repository.Root, console, cancellationToken).ConfigureAwait(false);
            var (_, prepared, _) = await RepositoryEnvironment.PrepareAsync(console, repository, result.GetValue(commit), settings, !result.GetValue(noInstall), cancellationToken).ConfigureAwait(false);
            var image = await DockerHostOption.GuardAsync(hosts, () => RepositoryImages.EnsureAsync(hosts, chosenBase, prepared, cancellationToken)).ConfigureAwait(false);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{image.Reference}: {(image.Built ? "built" : "already built")} in {image.Seconds:0.0} s")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Prune(CliConsole console)
    {
        var host = DockerHostOption.Create();
        var command = new Command("prune", "Delete Sparring's images that no container uses.") { host };
        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, json: false, async () =>
        {
            var hosts = DockerHostOption.Hosts(result, host);
            var removed = await DockerHostOption.GuardAsync(hosts, () => DockerImages.PruneAsync(hosts, cancellationToken)).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"removed {removed} image(s)").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
