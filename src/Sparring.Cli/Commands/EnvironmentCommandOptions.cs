using System.CommandLine;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary>
/// The environment options every verb that runs tests shares (probe, exec, inject, validate, grade, solve, selfplay,
/// serve), and how they meet the repository's settings file: the command line over the file over detection.
/// </summary>
internal sealed class EnvironmentCommandOptions
{
    public Option<string?> TestCommand { get; } = new("--test-cmd") { HelpName = "COMMAND", Description = "Bash command that runs the tests, replacing the detected one." };

    public Option<string?> Parser { get; } = new("--parser") { HelpName = "NAME", Description = $"Result parser: {string.Join(", ", TestReportParsers.Names)}, or script:PATH (SSR parser script)." };

    public Option<string[]> Environment { get; } = new("--env") { HelpName = "NAME=VALUE", Description = "An environment variable for setup and test runs (repeatable)." };

    public Option<string[]> SetupCommands { get; } = new("--setup-cmd") { HelpName = "COMMAND", Description = "Bash command run once, with network, to prepare the environment; the ones given replace the detected setup (repeatable, run in order)." };

    public Option<string[]> BuildProperties { get; } = new("--build-property") { HelpName = "NAME=VALUE", Description = "An MSBuild property, passed as -p:NAME=VALUE to the detected dotnet restore, build and test (repeatable)." };

    public Option<string?> Config { get; } = new("--config") { HelpName = "PATH", Description = $"Settings file to read instead of the repository's {EnvironmentSettingsFile.FileName}." };

    /// <summary><c>--disk-quota</c>: how much each workspace may hold.</summary>
    public WorkspaceCommandOptions Workspace { get; } = new();

    /// <summary><c>--sandbox</c>, <c>--docker-host</c>, <c>--docker-image</c>: where commands run.</summary>
    public SandboxCommandOptions Sandbox { get; } = new();

    public IEnumerable<Option> All => [TestCommand, Parser, Environment, SetupCommands, BuildProperties, Config, Workspace.DiskQuota, .. Sandbox.All];

    /// <summary>The settings the command line gives, validated; malformed values are usage errors naming the option.</summary>
    public EnvironmentSettings Overrides(ParseResult result)
    {
        var setup = result.GetValue(SetupCommands) ?? [];
        return new EnvironmentSettings
        {
            TestCommand = result.GetValue(TestCommand),
            // Absolute, so a run resumed from another folder still finds the script.
            Parser = result.GetValue(Parser) is { } parser && parser.StartsWith("script:", StringComparison.Ordinal) && parser.Length > "script:".Length
                ? "script:" + Path.GetFullPath(parser["script:".Length..])
                : result.GetValue(Parser),
            SetupCommands = setup.Length == 0 ? null : setup,
            Environment = Pairs(result.GetValue(Environment), "--env", EnvironmentSettings.VariableProblem),
            BuildProperties = Pairs(result.GetValue(BuildProperties), "--build-property", EnvironmentSettings.PropertyProblem),
        }.Validate();
    }

    /// <summary>
    /// The settings for the repository at <paramref name="repositoryRoot"/>: <paramref name="overrides"/> (the command line's)
    /// over those of <c>--config</c> or the repository's <c>sparring.toml</c>. Says on stderr which file was read.
    /// </summary>
    public async Task<EnvironmentSettings> ResolveAsync(ParseResult result, EnvironmentSettings overrides, string repositoryRoot, CliConsole console, CancellationToken cancellationToken)
    {
        var (file, path) = await EnvironmentSettingsFile.ResolveAsync(repositoryRoot, result.GetValue(Config), cancellationToken).ConfigureAwait(false);
        if (path is not null)
        {
            await console.Error.WriteLineAsync($"sparring: settings: {path}").ConfigureAwait(false);
        }

        return overrides.Over(file);
    }

    /// <summary>
    /// The limit of one test-suite run: <paramref name="timeout"/> when given on the command line, else the settings'
    /// <c>timeout</c>, else <paramref name="fallbackSeconds"/>.
    /// </summary>
    public static TimeSpan RunTimeout(ParseResult result, Option<int?> timeout, EnvironmentSettings settings, int fallbackSeconds) =>
        result.GetValue(timeout) switch
        {
            { } seconds when seconds <= 0 => throw new ArgumentException($"--timeout must be positive, got {seconds}"),
            { } seconds => TimeSpan.FromSeconds(seconds),
            null => settings.Timeout ?? TimeSpan.FromSeconds(fallbackSeconds),
        };

    /// <summary>The <c>--timeout</c> of a verb whose default the settings' <c>timeout</c> replaces.</summary>
    public static Option<int?> TimeoutOption(string what, int fallbackSeconds)
    {
        var option = new Option<int?>("--timeout") { Description = $"Seconds before {what} is killed (default: the settings' timeout, else {fallbackSeconds})." };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0 and var seconds)
            {
                result.AddError($"--timeout must be positive, got {seconds}");
            }
        });
        return option;
    }

    private static Dictionary<string, string> Pairs(string[]? values, string option, Func<string, string?> nameProblem)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"{option} takes NAME=VALUE, got '{value}'");
            }

            var name = value[..equals];
            if (nameProblem(name) is { } problem)
            {
                throw new ArgumentException($"{option} {value}: {problem}");
            }

            pairs[name] = value[(equals + 1)..];
        }

        return pairs;
    }
}
