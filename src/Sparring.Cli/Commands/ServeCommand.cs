using System.CommandLine;
using System.Net;
using Sparring.Service;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>sparring serve</c>: the rollout service through which an external RL trainer asks for graded rollout groups.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var defaults = new RolloutServiceOptions { WorkDirectory = "serve" };
        var host = new Option<string>("--host") { Description = "Address to listen on; loopback by default (the API has no authentication: expose it only on a trusted network).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: a free one, printed at start).", DefaultValueFactory = _ => 8471 };
        var output = new Option<string>("--out") { Description = "Work directory: trajectories, patches and each job's result.json.", DefaultValueFactory = _ => "serve" };
        var prepareWorkers = new Option<int>("--prepare-workers") { Description = "Solver tasks set up at once, across all requests.", DefaultValueFactory = _ => defaults.PrepareWorkers };
        var solveWorkers = new Option<int>("--solve-workers") { Description = "Episodes at once, across all requests (they wait on the model server: may exceed the cores).", DefaultValueFactory = _ => defaults.SolveWorkers };
        var gradeWorkers = new Option<int>("--grade-workers") { Description = "Grading test runs at once, across all requests.", DefaultValueFactory = _ => defaults.GradeWorkers };
        var environment = new EnvironmentCommandOptions();
        var minParsedShare = MinParsedShareOption.Create();
        var command = new Command("serve", "Serve rollouts over HTTP: a trainer POSTs bug tasks with a policy endpoint and version to /v1/rollouts and GETs back finished groups with rewards, advantages and token-level records (docs/service.md).")
        {
            host, port, output, prepareWorkers, solveWorkers, gradeWorkers, minParsedShare,
        };
        foreach (var option in environment.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, cancellationToken) => CliErrors.GuardAsync(console, json: false, async () =>
        {
            if (!IPAddress.TryParse(result.GetValue(host), out var address))
            {
                throw new ArgumentException($"--host must be an IP address (e.g. 127.0.0.1 or 0.0.0.0), got '{result.GetValue(host)}'");
            }

            if (result.GetValue(port) is < 0 or > 65535)
            {
                throw new ArgumentException($"--port must be between 0 and 65535, got {result.GetValue(port)}");
            }

            var options = new RolloutServiceOptions
            {
                WorkDirectory = Path.GetFullPath(result.GetValue(output)!),
                PrepareWorkers = result.GetValue(prepareWorkers),
                SolveWorkers = result.GetValue(solveWorkers),
                GradeWorkers = result.GetValue(gradeWorkers),
                // Over every repository's own sparring.toml (or --config's file), read when a request names it.
                Settings = environment.Overrides(result),
                ConfigPath = result.GetValue(environment.Config) is { } config ? Path.GetFullPath(config) : null,
                Workspaces = environment.Workspace.Options(result),
                Baseline = new BaselineRequirements { MinParsedShare = result.GetValue(minParsedShare) },
            }.Validate();
            var sandboxes = await Preflight.SandboxAsync(console, environment.Sandbox.Choice(result), cancellationToken).ConfigureAwait(false);
            await using var service = new RolloutService(sandboxes, options);
            RolloutServiceHost server;
            try
            {
                server = await RolloutServiceHost.StartAsync(service, address, result.GetValue(port), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliEnvironmentException($"cannot listen on {address}:{result.GetValue(port)}: {ex.Message}");
            }

            await using (server)
            {
                if (!IPAddress.IsLoopback(address))
                {
                    await console.Error.WriteLineAsync("sparring: warning: serving beyond loopback; the API has no authentication").ConfigureAwait(false);
                }

                await console.Error.WriteLineAsync($"sparring: serve: listening on {server.Address} (POST {server.Address}v1/rollouts; work directory {options.WorkDirectory}); Ctrl-C stops").ConfigureAwait(false);
                // The web host handles SIGTERM and SIGINT itself (so a service manager can stop it): wait for either.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await console.Error.WriteLineAsync("sparring: serve: stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
