namespace Sparring.Repos;

/// <summary>One commit of a repository's history.</summary>
public sealed record CommitInfo
{
    public required string Id { get; init; }
    public required IReadOnlyList<string> Parents { get; init; }
    public required string AuthorName { get; init; }
    public required string AuthorEmail { get; init; }
    public required DateTimeOffset AuthorDate { get; init; }
    public required string Subject { get; init; }

    /// <summary>Files changed against the first parent, with added and deleted line counts (null for binary files).</summary>
    public required IReadOnlyList<FileChange> Files { get; init; }
}

/// <summary>One file a commit changed.</summary>
public sealed record FileChange(string Path, int? AddedLines, int? DeletedLines);
