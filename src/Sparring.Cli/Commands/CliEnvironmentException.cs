namespace Sparring.Cli.Commands;

/// <summary>The machine lacks something the verb needs; mapped to exit code 4 with this message.</summary>
internal sealed class CliEnvironmentException(string message) : Exception(message);
