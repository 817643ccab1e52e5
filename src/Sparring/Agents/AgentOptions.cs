namespace Sparring.Agents;

/// <summary>Budgets, action format and sampling of one agent episode. Defaults in one place; <see cref="Validate"/> before use.</summary>
public sealed record AgentOptions
{
    public ActionFormat ActionFormat { get; init; } = ActionFormat.Native;

    /// <summary>Model calls at most (SWE-agent studies: 50 beat 30; CWM used 128).</summary>
    public int MaxTurns { get; init; } = 50;

    /// <summary>Prompt plus completion tokens over all calls of the episode, as the server reports them.</summary>
    public long MaxTokens { get; init; } = 2_000_000;

    /// <summary>Wall time of the episode; checked before each model call and passed to the running call.</summary>
    public TimeSpan WallClock { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Tool observations kept in full in the prompt; older ones are folded to one line (SWE-agent keeps 5).</summary>
    public int KeepObservations { get; init; } = 5;

    /// <summary>Consecutive turns without a usable action before the episode ends.</summary>
    public int MaxConsecutiveFormatErrors { get; init; } = 3;

    /// <summary>Sampling temperature (CWM's evaluation: 1.0).</summary>
    public float? Temperature { get; init; } = 1.0f;

    /// <summary>Nucleus sampling (CWM's evaluation: 0.95). Leave null for RL rollouts: truncation breaks the importance ratio.</summary>
    public float? TopP { get; init; } = 0.95f;

    public int? TopK { get; init; }

    /// <summary>Completion tokens per turn.</summary>
    public int? MaxOutputTokens { get; init; } = 4096;

    public long? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>
    /// Environment hints (SkyRL-Agent): every tool observation ends with a line giving the turns, tokens and minutes left
    /// and, when <see cref="TestCommand"/> is known, how to run the tests. Off by default.
    /// </summary>
    public bool Hints { get; init; }

    /// <summary>The command that runs the repository's tests, for the hints (the solver sets the environment's when null).</summary>
    public string? TestCommand { get; init; }

    public AgentOptions Validate()
    {
        if (MaxTurns < 1 || MaxTokens < 1 || WallClock <= TimeSpan.Zero || KeepObservations < 0 || MaxConsecutiveFormatErrors < 1)
        {
            throw new ArgumentException("max turns, max tokens, wall clock and max format errors must be positive; keep-observations must be ≥ 0");
        }

        if (Temperature is < 0 or > 2 || TopP is <= 0 or > 1 || TopK is < 1 || MaxOutputTokens is < 1)
        {
            throw new ArgumentException("temperature must be in 0..2, top-p in (0, 1], top-k and max output tokens ≥ 1");
        }

        return this;
    }
}
