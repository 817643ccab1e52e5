using Sparring.Grading;

namespace Sparring.Rewards;

/// <summary>The SSR rewards (spec §1.5): ±1 for the solver; for the injector, a reward that peaks for bugs the solver fixes rarely but not never.</summary>
public static class Reward
{
    /// <summary>α in the paper.</summary>
    public const double DefaultAlpha = 0.8;

    /// <summary>The share of solved attempts, rounded to four decimals as summaries and reports show it; 0 when there are none.</summary>
    public static double SolveRate(int solved, int attempts) => attempts == 0 ? 0 : Math.Round((double)solved / attempts, 4);

    /// <summary><c>+1</c> when solved, <c>−1</c> otherwise.</summary>
    public static int Solver(bool solved) => solved ? 1 : -1;

    /// <summary><c>+1</c> when solved, <c>−1</c> otherwise: a tampered patch is a failure like any unsolved one.</summary>
    public static int Solver(GradeOutcome outcome) => Solver(outcome == GradeOutcome.Solved);

    /// <summary>
    /// The injector's reward from the solve outcomes of a group of solver attempts on its bug:
    /// <c>−1</c> if validation failed; <c>−α</c> if the solve rate <c>s</c> is 0 or 1; else <c>1 − (1 + α)·s</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A valid bug with no attempts (the solve rate is undefined), or α outside [0, 1].</exception>
    public static double Injector(bool valid, IReadOnlyCollection<bool> solveOutcomes, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(solveOutcomes);
        CheckAlpha(alpha);
        if (!valid)
        {
            return -1;
        }

        if (solveOutcomes.Count == 0)
        {
            throw new ArgumentException("The solve rate of a valid bug needs at least one solver attempt; the group is empty.", nameof(solveOutcomes));
        }

        var solved = solveOutcomes.Count(o => o);
        return solved == 0 || solved == solveOutcomes.Count ? -alpha : InjectorAtRate((double)solved / solveOutcomes.Count, alpha);
    }

    /// <summary>The injector's reward of a valid bug at solve rate <paramref name="solveRate"/> in [0, 1].</summary>
    public static double InjectorAtRate(double solveRate, double alpha = DefaultAlpha)
    {
        CheckAlpha(alpha);
        if (double.IsNaN(solveRate) || solveRate < 0 || solveRate > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(solveRate), solveRate, "A solve rate lies in [0, 1].");
        }

        return solveRate is 0 or 1 ? -alpha : 1 - ((1 + alpha) * solveRate);
    }

    private static void CheckAlpha(double alpha)
    {
        if (double.IsNaN(alpha) || alpha < 0 || alpha > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α lies in [0, 1] (the paper uses 0.8).");
        }
    }
}
