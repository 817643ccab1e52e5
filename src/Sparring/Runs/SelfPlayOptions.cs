using Sparring.Agents;
using Sparring.Injection;
using Sparring.Rewards;
using Sparring.Testing;

namespace Sparring.Runs;

/// <summary>What a self-play run does. Fixed by the run's first start: <c>--resume</c> reads them back from the store.</summary>
public sealed record SelfPlayOptions
{
    public int Rounds { get; init; } = 2;

    /// <summary>Valid order-1 bugs the injector is asked for per round.</summary>
    public int BugsPerRound { get; init; } = 2;

    /// <summary>Solver attempts per valid bug (the RL group size; SSR uses 8).</summary>
    public int Attempts { get; init; } = 8;

    /// <summary><c>procedural</c>, <c>llm</c>, or <c>mix</c> (odd rounds procedural, even rounds the agent).</summary>
    public string Injector { get; init; } = "procedural";

    /// <summary><c>search</c> (the mutation-search solver) or <c>llm</c>.</summary>
    public string Solver { get; init; } = "search";

    public int Seed { get; init; }

    /// <summary>Candidates (procedural) or episodes (agent) per strategy and round.</summary>
    public int MaxCandidatesPerStrategy { get; init; } = 8;

    /// <summary>Test runs per attempt of the mutation-search solver.</summary>
    public int SearchBudget { get; init; } = 3;

    /// <summary>The version of the policy that plays (the trainer's update counter), recorded with the run for exports.</summary>
    public int PolicyVersion { get; init; }

    /// <summary>Workers per stage of the attempt pipeline (prepare, solve, grade) and the queue size between them.</summary>
    public StageOptions Stages { get; init; } = new();

    /// <summary>Spec §1.5's α.</summary>
    public double Alpha { get; init; } = Reward.DefaultAlpha;

    /// <summary>Turn failed attempts with a patch into order-2 bugs for the next round (at most <see cref="BugsPerRound"/> per round).</summary>
    public bool HigherOrder { get; init; } = true;

    /// <summary>What the baseline must show before the first round (a passing test, enough parsed results).</summary>
    public BaselineRequirements Baseline { get; init; } = new();

    /// <summary>The agents' options when a role is played by a model.</summary>
    public AgentRoleOptions Agents { get; init; } = new();

    public SelfPlayOptions Validate()
    {
        if (PolicyVersion < 0)
        {
            throw new ArgumentException("policy version must be at least 0");
        }

        if (Rounds < 1 || BugsPerRound < 1 || Attempts < 1 || MaxCandidatesPerStrategy < 1)
        {
            throw new ArgumentException("rounds, bugs per round, attempts and max candidates must be at least 1");
        }

        // Checked here, not when the first attempt starts: a bad value must fail before any injection runs.
        if (SearchBudget < 2)
        {
            throw new ArgumentException($"the search budget must be at least 2 test runs (one to diagnose, one to try an edit), got {SearchBudget}");
        }

        if (Injector is not ("procedural" or "llm" or "mix"))
        {
            throw new ArgumentException($"injector must be procedural, llm or mix, got '{Injector}'");
        }

        if (Solver is not ("search" or "llm"))
        {
            throw new ArgumentException($"solver must be search or llm, got '{Solver}'");
        }

        if (Alpha is < 0 or > 1)
        {
            throw new ArgumentException("alpha must be in [0, 1]");
        }

        Stages.Validate();
        Agents.Validate();
        Baseline.Validate();
        return this;
    }
}
