namespace Sparring.Repos;

/// <summary>The path given is not inside a git repository.</summary>
public sealed class NotAGitRepositoryException : Exception
{
    public NotAGitRepositoryException(string path)
        : base($"'{path}' is not a git repository. Run 'git init && git add -A && git commit -m initial' there first, or point at a repository.")
    {
        Path = path;
    }

    /// <summary>For a repository git refuses to use (e.g. "detected dubious ownership"): git's own words, which say how to fix it.</summary>
    public NotAGitRepositoryException(string path, string gitMessage)
        : base($"'{path}' cannot be used as a git repository: {gitMessage}")
    {
        Path = path;
    }

    public string Path { get; }
}
