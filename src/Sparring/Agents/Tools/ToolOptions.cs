namespace Sparring.Agents.Tools;

/// <summary>Limits every tool shares. Defaults follow CWM (120 s per bash call) and SWE-agent (100-line window).</summary>
public sealed record ToolOptions
{
    /// <summary>Default limit of one bash command; the call may ask for less, never more than <see cref="MaxBashTimeout"/>.</summary>
    public TimeSpan BashTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public TimeSpan MaxBashTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Characters of one observation shown to the model; the middle of a longer one is replaced by a marker.</summary>
    public int OutputLimitChars { get; init; } = 16_000;

    /// <summary>Lines the windowed viewer shows at once.</summary>
    public int WindowLines { get; init; } = 100;

    /// <summary>Reject edits that leave a syntax error in a file that parsed before (SWE-agent's linted edit).</summary>
    public bool LintEdits { get; init; } = true;

    /// <summary>Search results shown at most.</summary>
    public int MaxSearchResults { get; init; } = 100;

    public ToolOptions Validate()
    {
        if (BashTimeout <= TimeSpan.Zero || MaxBashTimeout < BashTimeout || OutputLimitChars < 200 || WindowLines < 1 || MaxSearchResults < 1)
        {
            throw new ArgumentException("tool limits must be positive, the bash timeout ≤ its maximum, and the output limit at least 200 characters");
        }

        return this;
    }
}
