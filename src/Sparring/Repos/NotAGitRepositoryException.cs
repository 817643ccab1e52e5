namespace Sparring.Repos;

/// <summary>The path given is not inside a git repository.</summary>
public sealed class NotAGitRepositoryException : Exception
{
    public NotAGitRepositoryException(string path)
        : base($"'{path}' is not a git repository. Run 'git init && git add -A && git commit -m initial' there first, or point at a repository.")
    {
        Path = path;
    }

    public string Path { get; }
}
