namespace Sparring.Cli;

/// <summary>The documented exit codes of every verb (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The suite ran and every test passed (or the command succeeded).</summary>
    public const int Success = 0;

    /// <summary>The suite ran and some tests failed or errored (for exec: the command's own non-zero code is returned instead).</summary>
    public const int TestsFailed = 1;

    /// <summary>Bad arguments: unknown option, missing repository, not a git repository, unknown parser, an artifact naming a path outside the repository.</summary>
    public const int Usage = 2;

    /// <summary>The suite did not run: no runner detected, no test results, no test ran (only errors or skips), timed out; for inject, selfplay and serve also a baseline with no passing test or too few parsed results.</summary>
    public const int SuiteDidNotRun = 3;

    /// <summary>The environment is broken: sandbox unavailable, toolchain missing, setup failed.</summary>
    public const int Environment = 4;

    /// <summary>A bug in Sparring (an unexpected exception); the message includes the stack trace.</summary>
    public const int InternalError = 70;
}
