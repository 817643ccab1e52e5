using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what a user would see.</summary>
internal static class CliRunner
{
    public static async Task<CliOutcome> RunAsync(params string[] args)
    {
        // The CLI uses the default cache; point it at the shared test cache so prepared samples are reused.
        Environment.SetEnvironmentVariable("SPARRING_CACHE", TestCache.Root);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SparringCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliOutcome(code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliOutcome(int ExitCode, string Stdout, string Stderr);
