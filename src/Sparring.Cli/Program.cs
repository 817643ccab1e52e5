using Sparring.Cli;

return await SparringCli.RunAsync(args, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
