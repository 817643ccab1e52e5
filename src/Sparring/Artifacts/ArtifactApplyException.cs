using Sparring.Repos;

namespace Sparring.Artifacts;

/// <summary>One of an artifact's own diffs does not apply to the prepared tree: the artifact, not a solver, is at fault.</summary>
public sealed class ArtifactApplyException : Exception
{
    public ArtifactApplyException(string artifactId, string fileName, DiffApplyException inner)
        : base($"{fileName} of artifact '{artifactId}' does not apply to the prepared tree: {(inner ?? throw new ArgumentNullException(nameof(inner))).GitMessage}", inner)
    {
        FileName = fileName;
    }

    /// <summary>Which of the artifact's files failed (<c>bug_inject.diff</c>, <c>test_weaken.diff</c>, <c>pred_patch.diff</c>).</summary>
    public string FileName { get; }
}
