namespace Sparring.Cli;

/// <summary>Where a verb writes: results to <see cref="Out"/>, progress and errors to <see cref="Error"/>.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error);
