namespace Sparring.Training;

/// <summary>Options of the SWE-Swiss stage-2 curriculum.</summary>
public sealed record SweSwissCurriculumOptions
{
    /// <summary>Drop tasks solved more often than this (default 0.9; a task solved exactly 90% of the time stays).</summary>
    public double MaxSolveRate { get; init; } = 0.9;

    public SweSwissCurriculumOptions Validate()
    {
        if (double.IsNaN(MaxSolveRate) || MaxSolveRate < 0 || MaxSolveRate > 1)
        {
            throw new ArgumentException($"{nameof(MaxSolveRate)} lies in [0, 1], got {MaxSolveRate}.");
        }

        return this;
    }
}
