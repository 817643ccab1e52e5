using Sparring.Training;

namespace Sparring.Tests.Training;

/// <summary>Builds curriculum states from (id, solves, attempts) triples.</summary>
internal static class CurriculumStates
{
    public static CurriculumState Of(int step, params (string Id, int Solves, int Attempts)[] tasks) =>
        Of(step, new Random(42), tasks);

    public static CurriculumState Of(int step, Random random, params (string Id, int Solves, int Attempts)[] tasks) =>
        new()
        {
            Step = step,
            Random = random,
            Tasks = tasks.ToDictionary(t => t.Id, t => new TaskStats { Attempts = t.Attempts, Solves = t.Solves }, StringComparer.Ordinal),
        };
}
