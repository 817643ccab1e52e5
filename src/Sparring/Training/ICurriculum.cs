using System.Diagnostics.CodeAnalysis;

namespace Sparring.Training;

/// <summary>A scheduler over a task pool: picks the tasks to train on at a step from their recorded solve rates.</summary>
/// <remarks>
/// Implementations are stateless: the result depends only on the state (and the draws made from its
/// <see cref="CurriculumState.Random"/>), so they are thread-safe as long as the caller does not share one
/// <see cref="Random"/> across threads.
/// </remarks>
public interface ICurriculum
{
    /// <summary>A short name for logs and configuration (<c>nebius</c>, <c>swe-swiss</c>, <c>kimi-dev</c>).</summary>
    string Name { get; }

    /// <summary>The task ids to train on at <see cref="CurriculumState.Step"/>, in a deterministic order.</summary>
    /// <exception cref="ArgumentException">The state is inconsistent (see <see cref="CurriculumState.Validate"/>).</exception>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "The issue fixes the name; 'Select' is a keyword only in VB query syntax, where implementing it still works.")]
    IReadOnlyList<string> Select(CurriculumState state);
}
