using System.Text;
using Sparring.Internal;

namespace Sparring.Repos;

/// <summary>Runs the git command line on trusted trees (ours, never inside a sandbox).</summary>
internal static class Git
{
    /// <summary>The most output one git command may produce (large diffs and files); more is an error, never a silent cut.</summary>
    private const int OutputLimitBytes = 512 * 1024 * 1024;

    /// <summary>Runs git; throws <see cref="GitException"/> with git's own message when it fails.</summary>
    public static async Task<string> RunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null)
    {
        var outcome = await RunRawAsync(workingDirectory, arguments, cancellationToken, environment, standardInput).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw new GitException(arguments, outcome.ExitCode, outcome.Stderr.Trim());
        }

        if (outcome.StdoutTruncated)
        {
            // A cut diff or file would look valid and be silently wrong.
            throw new GitException(arguments, outcome.ExitCode, $"output exceeded {OutputLimitBytes} bytes and was truncated");
        }

        return outcome.Stdout;
    }

    public static Task<ProcessOutcome> RunRawAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Reproducible output whatever the user's configuration says.
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["LC_ALL"] = "C",
            ["GIT_AUTHOR_NAME"] = "Sparring",
            ["GIT_AUTHOR_EMAIL"] = "sparring@localhost",
            ["GIT_COMMITTER_NAME"] = "Sparring",
            ["GIT_COMMITTER_EMAIL"] = "sparring@localhost",
        };
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                extra[key] = value;
            }
        }

        var args = new List<string> { "-c", "core.excludesFile=/dev/null", "-c", "core.attributesFile=/dev/null", "-c", "core.quotepath=false", "-c", "core.autocrlf=false", "-c", "diff.noprefix=false", "-c", "color.ui=false" };
        args.AddRange(arguments);
        return ProcessRunner.RunAsync(
            new ProcessSpec
            {
                FileName = "git",
                Arguments = args,
                WorkingDirectory = workingDirectory,
                ExtraEnvironment = extra,
                StandardInput = standardInput is null ? null : Encoding.UTF8.GetBytes(standardInput),
                OutputLimitBytes = OutputLimitBytes,
                Timeout = TimeSpan.FromMinutes(10),
            },
            TimeProvider.System,
            null,
            cancellationToken);
    }
}
