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
}
