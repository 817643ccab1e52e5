using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary>Checks before any work starts: the sandbox works, the toolchains a plan needs are installed.</summary>
internal static class Preflight
{
    public static async Task<ISandboxProvider> SandboxAsync(CliConsole console, SandboxChoice choice, CancellationToken cancellationToken)
    {
        var missing = await Toolchains.MissingAsync(Toolchains.Base, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            await ToolchainsAsync(console, Toolchains.Base, install: true, cancellationToken).ConfigureAwait(false);
        }

        ISandboxProvider provider;
        var reaping = ReapDockerAsync(console, cancellationToken);
        if (choice.Backend == "docker")
        {
            await reaping.ConfigureAwait(false);
            provider = await DockerAsync(console, choice, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var bubblewrap = new BubblewrapSandboxProvider();
            if (await bubblewrap.CheckAvailableAsync(cancellationToken).ConfigureAwait(false) is { } problem)
            {
                throw new CliEnvironmentException(problem);
            }

            await reaping.ConfigureAwait(false);
            if (bubblewrap.LimitsWarning is { } warning)
            {
                await console.Error.WriteLineAsync($"sparring: warning: {warning}").ConfigureAwait(false);
            }

            provider = bubblewrap;
        }

        if (Workspace.DiskQuotaWarning is { } quota)
        {
            await console.Error.WriteLineAsync($"sparring: warning: {quota}").ConfigureAwait(false);
        }

        return provider;
    }

    /// <summary>
    /// Docker engines ready to run: Sparring's base image built (or copied between engines) when no image is named,
    /// the containers killed Sparring processes left removed, and every engine checked.
    /// </summary>
    private static async Task<DockerSandboxProvider> DockerAsync(CliConsole console, SandboxChoice choice, CancellationToken cancellationToken)
    {
        var image = choice.DockerImage;
        if (image is null)
        {
            var recipe = DockerImageRecipe.ForThisMachine();
            void Say(string step) => console.Error.WriteLine($"sparring: docker: {step}");
            try
            {
                try
                {
                    await DockerImages.EnsureAsync(choice.DockerHosts, recipe, Say, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException) when (!File.Exists(DockerImages.Debootstrap))
                {
                    // Only a missing image needs debootstrap: installed then (as root), and the build tried again.
                    await ToolchainsAsync(console, [Debootstrap], install: true, cancellationToken).ConfigureAwait(false);
                    await DockerImages.EnsureAsync(choice.DockerHosts, recipe, Say, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new CliEnvironmentException(ex.Message);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException)
            {
                throw new CliEnvironmentException($"Docker sandboxes cannot run: an engine of {string.Join(", ", choice.DockerHosts)} does not answer ({ex.Message}). Start dockerd, or name a running engine with --docker-host.");
            }

            image = recipe.Reference;
        }

        var provider = new DockerSandboxProvider(new DockerSandboxSettings { Hosts = choice.DockerHosts, Image = image, RunLabel = choice.RunLabel });
        if (await provider.CheckAvailableAsync(cancellationToken).ConfigureAwait(false) is { } problem)
        {
            provider.Dispose();
            throw new CliEnvironmentException(problem);
        }

        var removed = await provider.RemoveAbandonedAsync(cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            await console.Error.WriteLineAsync($"sparring: docker: removed {removed} container(s) that killed Sparring processes left").ConfigureAwait(false);
        }

        return provider;
    }

    /// <summary>
    /// Whatever the backend, containers that killed Sparring processes left are removed at the next start (only when a
    /// killed process's marker says it ran some; briefly; silently when its engines do not answer).
    /// </summary>
    private static async Task ReapDockerAsync(CliConsole console, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            if (await DockerSandboxProvider.RemoveAbandonedOfKilledProcessesAsync(bounded.Token).ConfigureAwait(false) is > 0 and var removed)
            {
                await console.Error.WriteLineAsync($"sparring: docker: removed {removed} container(s) that killed Sparring processes left").ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or Docker.DotNet.DockerApiException && !cancellationToken.IsCancellationRequested)
        {
            // An engine that does not answer now is asked again at a later start (the marker stays).
        }
    }

    private static readonly ToolRequirement Debootstrap = new("debootstrap", "test -x " + DockerImages.Debootstrap, "debootstrap");

    /// <summary>Installs missing Debian packages when running as root and allowed; otherwise fails with the command to run.</summary>
    public static async Task ToolchainsAsync(CliConsole console, IReadOnlyList<ToolRequirement> needs, bool install, CancellationToken cancellationToken)
    {
        var missing = await Toolchains.MissingAsync(needs, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0)
        {
            return;
        }

        var names = string.Join(", ", missing.Select(m => m.Program));
        var notInDebian = missing.Where(m => m.DebianPackage is null && m.NpmPackage is null).ToList();
        if (notInDebian.Count > 0)
        {
            throw new CliEnvironmentException($"Missing: {string.Join(", ", notInDebian.Select(m => m.Program))}. Install it from its vendor; it is not a Debian package.");
        }

        if (install && Environment.UserName == "root")
        {
            await console.Error.WriteLineAsync($"sparring: installing {names}: {Toolchains.InstallCommand(missing).Replace("sudo ", "", StringComparison.Ordinal)}").ConfigureAwait(false);
            if (await Toolchains.InstallAsync(missing, cancellationToken).ConfigureAwait(false) is { } failure)
            {
                throw new CliEnvironmentException($"Could not install {names}:\n{failure}");
            }

            var still = await Toolchains.MissingAsync(missing, cancellationToken).ConfigureAwait(false);
            if (still.Count == 0)
            {
                return;
            }

            throw new CliEnvironmentException($"Still missing after installing: {string.Join(", ", still.Select(m => m.Program))}.");
        }

        throw new CliEnvironmentException($"Missing: {names}. Install with:\n  {Toolchains.InstallCommand(missing)}");
    }
}
