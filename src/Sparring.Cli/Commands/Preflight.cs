using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary>Checks before any work starts: the sandbox works, the toolchains a plan needs are installed.</summary>
internal static class Preflight
{
    public static async Task<ISandboxProvider> SandboxAsync(CliConsole console, CancellationToken cancellationToken)
    {
        var missing = await Toolchains.MissingAsync(Toolchains.Base, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            await ToolchainsAsync(console, Toolchains.Base, install: true, cancellationToken).ConfigureAwait(false);
        }

        var provider = new BubblewrapSandboxProvider();
        if (await provider.CheckAvailableAsync(cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new CliEnvironmentException(problem);
        }

        if (provider.LimitsWarning is { } warning)
        {
            await console.Error.WriteLineAsync($"sparring: warning: {warning}").ConfigureAwait(false);
        }

        if (Workspace.DiskQuotaWarning is { } quota)
        {
            await console.Error.WriteLineAsync($"sparring: warning: {quota}").ConfigureAwait(false);
        }

        return provider;
    }

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
