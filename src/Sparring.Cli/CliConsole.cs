namespace Sparring.Cli;

/// <summary>Where a verb writes: results to <see cref="Out"/>, progress and errors to <see cref="Error"/>.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Progress and errors.</param>
/// <param name="ErrorIsTerminal">True when <see cref="Error"/> is a terminal, where progress may redraw a status line.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal = false);
