namespace Sparring.Training.Internal;

/// <summary>Keeps tasks with <c>0 &lt; s ≤ 2/3</c>, and unattempted ones (no evidence to drop them on).</summary>
internal sealed class NebiusCurriculum(NebiusCurriculumOptions options) : ICurriculum
{
    public string Name => "nebius";

    public IReadOnlyList<string> Select(CurriculumState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        return [.. state.Tasks
            .Where(t => t.Value.SolveRate is not { } rate || (rate <= options.MaxSolveRate && !(options.DropNeverSolved && t.Value.Solves == 0)))
            .Select(t => t.Key)
            .Order(StringComparer.Ordinal)];
    }
}
