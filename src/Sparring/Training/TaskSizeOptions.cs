namespace Sparring.Training;

/// <summary>The Nebius / SWE-rebench task-size limits. Both are exclusive: a task is kept when it is below each.</summary>
public sealed record TaskSizeOptions
{
    /// <summary>Keep tasks changing fewer files than this (default 7: at most 6 files).</summary>
    public int ChangedFilesLimit { get; init; } = 7;

    /// <summary>Keep tasks changing fewer lines (added plus removed) than this (default 500: at most 499).</summary>
    public int ChangedLinesLimit { get; init; } = 500;

    public TaskSizeOptions Validate()
    {
        if (ChangedFilesLimit < 1 || ChangedLinesLimit < 1)
        {
            throw new ArgumentException($"Task-size limits must be at least 1 (files {ChangedFilesLimit}, lines {ChangedLinesLimit}).");
        }

        return this;
    }
}
