namespace Sparring.Repos;

/// <summary>A git command failed; the message carries git's own words.</summary>
public sealed class GitException : Exception
{
    public GitException(IReadOnlyList<string> arguments, int exitCode, string stderr)
        : base($"git {string.Join(' ', arguments.Take(3))} failed (exit {exitCode}): {stderr}")
    {
        ExitCode = exitCode;
        Stderr = stderr;
    }

    public int ExitCode { get; }
    public string Stderr { get; }
}
