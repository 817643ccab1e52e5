using System.CommandLine;
using System.Text.Json;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring exec REPO -- CMD…</c>: one command in the test sandbox over a throwaway copy, to debug an environment.</summary>
internal static class ExecCommand
{
    public static Command Create(CliConsole console)
    {
        var repo = new Argument<string>("repo") { Description = "Path to a git repository." };
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before the command is killed.", DefaultValueFactory = _ => 120 };
        var commit = new Option<string>("--commit") { Description = "Commit to check out.", DefaultValueFactory = _ => "HEAD" };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON on stdout." };
        var noInstall = new Option<bool>("--no-install") { Description = "Never apt-get install missing toolchains." };
        var environment = new EnvironmentCommandOptions();
        var command = new Command("exec", "Run one command in the sandbox over a throwaway copy of a repository (prepared as for its tests) and print its output and exit code.")
        {
            repo, commandLine, timeout, commit, json, noInstall,
        };
        foreach (var option in environment.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, result.GetValue(json), async () =>
        {
            var seconds = result.GetValue(timeout);
            if (seconds <= 0)
            {
                throw new ArgumentException($"--timeout must be positive, got {seconds}.");
            }

            var overrides = environment.Overrides(result);
            var (sandboxes, prepared, _) = await RepositoryEnvironment.PrepareAsync(console, result, environment, overrides, result.GetValue(repo)!, result.GetValue(commit), !result.GetValue(noInstall), cancellationToken).ConfigureAwait(false);
            var runner = new TestRunner(sandboxes);
            await using var workspace = await TestRunner.CreateWorkspaceAsync(prepared, cancellationToken).ConfigureAwait(false);
            ExecResult exec;
            await using (var sandbox = await runner.OpenSandboxAsync(prepared, workspace, cancellationToken).ConfigureAwait(false))
            {
                exec = await sandbox.ExecAsync(
                    new ExecRequest { Command = result.GetValue(commandLine)!, Timeout = TimeSpan.FromSeconds(seconds) },
                    cancellationToken).ConfigureAwait(false);
            }

            if (exec.DiskFull)
            {
                await console.Error.WriteLineAsync($"sparring: warning: {workspace.DiskFullMessage}").ConfigureAwait(false);
            }

            if (result.GetValue(json))
            {
                var report = new ExecReport(exec.ExitCode, exec.TimedOut, exec.OutputTruncated, exec.MemoryLimitHit, exec.DiskFull, Math.Round(exec.Duration.TotalMilliseconds, 1), exec.Stdout, exec.Stderr);
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.ExecReport)).ConfigureAwait(false);
            }
            else
            {
                await console.Out.WriteAsync(exec.Stdout).ConfigureAwait(false);
                await console.Error.WriteAsync(exec.Stderr).ConfigureAwait(false);
                var ending = exec.TimedOut ? $"timed out after {seconds} s" : $"exit code {exec.ExitCode}";
                await console.Error.WriteLineAsync($"sparring: {ending} ({exec.Duration.TotalSeconds:0.00} s{(exec.OutputTruncated ? ", output truncated" : "")})").ConfigureAwait(false);
            }

            return exec.ExitCode;
        }));
        return command;
    }
}
