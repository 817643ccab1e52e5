namespace Sparring.Training;

/// <summary>Options of the Kimi-Dev curriculum. The chunk numbers are the paper's; the replay numbers are Sparring's (the paper gives none).</summary>
public sealed record KimiDevCurriculumOptions
{
    /// <summary>C: hard tasks added per chunk (default 500).</summary>
    public int HardChunkSize { get; init; } = 500;

    /// <summary>K: steps between chunks (default 100). At step s, <c>C · ⌊s / K⌋</c> hard tasks are in.</summary>
    public int ChunkInterval { get; init; } = 100;

    /// <summary>L: the late phase, in which earlier successes are replayed, starts at this step (inclusive; default 1000).</summary>
    public int ReplayFromStep { get; init; } = 1000;

    /// <summary>Solved tasks drawn (without replacement, from the state's Random) and listed a second time in the late phase (default 500).</summary>
    public int ReplayCount { get; init; } = 500;

    /// <summary>Seeds the fixed order in which hard tasks are admitted (a hash of seed and task id), so chunks stay stable from step to step.</summary>
    public int Seed { get; init; }

    public KimiDevCurriculumOptions Validate()
    {
        if (HardChunkSize < 1 || ChunkInterval < 1)
        {
            throw new ArgumentException($"{nameof(HardChunkSize)} and {nameof(ChunkInterval)} must be at least 1 (got {HardChunkSize} and {ChunkInterval}).");
        }

        if (ReplayFromStep < 0 || ReplayCount < 0)
        {
            throw new ArgumentException($"{nameof(ReplayFromStep)} and {nameof(ReplayCount)} must be at least 0 (got {ReplayFromStep} and {ReplayCount}).");
        }

        return this;
    }
}
