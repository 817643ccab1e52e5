namespace Sparring.Testing.Detection;

/// <summary>How a repository says it runs pytest: the arguments kept from its own command, and where that command is.</summary>
internal sealed record PytestInvocation
{
    /// <summary>Where the command was read (<c>tox.ini [testenv] commands</c>, <c>.github/workflows/ci.yml</c>, …).</summary>
    public required string Source { get; init; }

    /// <summary>The kept arguments, unquoted: options first, then root-relative paths.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Whether the arguments name paths, which replace the configured <c>testpaths</c>.</summary>
    public bool HasPaths { get; init; }
}
