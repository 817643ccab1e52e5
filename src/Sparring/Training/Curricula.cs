using Sparring.Training.Internal;

namespace Sparring.Training;

/// <summary>The curricula of spec §3.</summary>
public static class Curricula
{
    /// <summary>Nebius stage 2: drop tasks solved more than 2/3 of the time and tasks never solved; keep unattempted ones.</summary>
    public static ICurriculum Nebius(NebiusCurriculumOptions? options = null) =>
        new NebiusCurriculum((options ?? new NebiusCurriculumOptions()).Validate());

    /// <summary>SWE-Swiss stage 2: drop tasks solved more than 90% of the time; keep unattempted ones.</summary>
    public static ICurriculum SweSwiss(SweSwissCurriculumOptions? options = null) =>
        new SweSwissCurriculum((options ?? new SweSwissCurriculumOptions()).Validate());

    /// <summary>Kimi-Dev: easy tasks first, hard ones added in chunks, earlier successes replayed late.</summary>
    public static ICurriculum KimiDev(KimiDevCurriculumOptions? options = null) =>
        new KimiDevCurriculum((options ?? new KimiDevCurriculumOptions()).Validate());

    /// <summary>The names <see cref="ByName"/> knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["nebius", "swe-swiss", "kimi-dev"];

    /// <summary>A curriculum by its <see cref="ICurriculum.Name"/>, with its default options.</summary>
    /// <exception cref="ArgumentException">An unknown name (the message lists the known ones).</exception>
    public static ICurriculum ByName(string name) => name switch
    {
        "nebius" => Nebius(),
        "swe-swiss" => SweSwiss(),
        "kimi-dev" => KimiDev(),
        _ => throw new ArgumentException($"unknown curriculum '{name}' (known: {string.Join(", ", Names)})"),
    };
}
