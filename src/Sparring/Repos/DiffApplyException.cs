namespace Sparring.Repos;

/// <summary>A diff is malformed or does not apply to the tree; the tree was left unchanged.</summary>
public sealed class DiffApplyException : Exception
{
    public DiffApplyException(string gitMessage, bool reverse)
        : base($"The diff does not {(reverse ? "reverse" : "apply")}: {(gitMessage.Length == 0 ? "git apply failed" : gitMessage)}")
    {
        GitMessage = gitMessage;
    }

    /// <summary>What git apply said, e.g. <c>error: patch failed: src/a.py:12</c>.</summary>
    public string GitMessage { get; }
}
