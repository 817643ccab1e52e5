namespace Sparring.Training.Internal;

/// <summary>Keeps tasks with <c>s ≤ 0.9</c>, and unattempted ones (no evidence to drop them on).</summary>
internal sealed class SweSwissCurriculum(SweSwissCurriculumOptions options) : ICurriculum
{
    public string Name => "swe-swiss";

    public IReadOnlyList<string> Select(CurriculumState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        return [.. state.Tasks
            .Where(t => t.Value.SolveRate is not { } rate || rate <= options.MaxSolveRate)
            .Select(t => t.Key)
            .Order(StringComparer.Ordinal)];
    }
}
