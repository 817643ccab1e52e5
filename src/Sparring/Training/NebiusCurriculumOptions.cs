namespace Sparring.Training;

/// <summary>Options of the Nebius stage-2 curriculum.</summary>
public sealed record NebiusCurriculumOptions
{
    /// <summary>Drop tasks solved more often than this (default 2/3; a task solved exactly 2/3 of the time stays).</summary>
    public double MaxSolveRate { get; init; } = 2.0 / 3.0;

    /// <summary>Drop tasks attempted but never solved (default true).</summary>
    public bool DropNeverSolved { get; init; } = true;

    public NebiusCurriculumOptions Validate()
    {
        if (double.IsNaN(MaxSolveRate) || MaxSolveRate < 0 || MaxSolveRate > 1)
        {
            throw new ArgumentException($"{nameof(MaxSolveRate)} lies in [0, 1], got {MaxSolveRate}.");
        }

        return this;
    }
}
