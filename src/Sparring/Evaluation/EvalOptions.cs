using Sparring.Grading;

namespace Sparring.Evaluation;

/// <summary>How <see cref="EvalRunner"/> evaluates a task set.</summary>
public sealed record EvalOptions
{
    /// <summary>Samples per instance (K): pass@1 is their mean, pass@k the unbiased estimate from them.</summary>
    public int Samples { get; init; } = 1;

    /// <summary>Tries after the first for a sample that ended in error; then it stays an error.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Samples run at once.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>Where the repository's commits come from when a task names no source of its own: a path, a git URL or a bundle, by the task's <c>repo</c> (key <c>*</c>: any).</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The test-time selectors run once an instance's samples are final (<see cref="Sparring.Selection.Selectors.Names"/>);
    /// each chooses one graded sample without looking at its grade, and reports count how often the choice was resolved.
    /// </summary>
    public IReadOnlyList<string> Selectors { get; init; } = [];

    /// <summary>
    /// <c>solver</c> (the default: each sample is a fix, graded) or <c>test-writer</c> (each sample is a generated test,
    /// judged fail→pass; resolved means it reproduces the bug).
    /// </summary>
    public string Role { get; init; } = "solver";

    /// <summary>InfCode's rounds of strengthening tests and revising patches (0: choose among the samples by the generated tests alone).</summary>
    public int InfCodeRounds { get; init; } = 2;

    /// <summary>Grading options; <see cref="GradeOptions.Targets"/> is set per instance.</summary>
    public GradeOptions Grading { get; init; } = new();

    public EvalOptions Validate()
    {
        if (Samples < 1)
        {
            throw new ArgumentException($"{nameof(Samples)} must be at least 1.");
        }

        if (Retries < 0)
        {
            throw new ArgumentException($"{nameof(Retries)} must not be negative.");
        }

        if (Parallel < 1)
        {
            throw new ArgumentException($"{nameof(Parallel)} must be at least 1.");
        }

        if (Role is not ("solver" or Solving.TestWriterAgent.Role))
        {
            throw new ArgumentException($"the role must be solver or {Solving.TestWriterAgent.Role}, got '{Role}'");
        }

        if (Role != "solver" && Selectors.Count > 0)
        {
            throw new ArgumentException("selectors choose among fixes: they do not apply to the test-writer role");
        }

        if (InfCodeRounds is < 0 or > 10)
        {
            throw new ArgumentException($"{nameof(InfCodeRounds)} must be in 0..10.");
        }

        if (Selectors.FirstOrDefault(s => !Sparring.Selection.Selectors.Names.Contains(s)) is { } unknown)
        {
            throw new ArgumentException($"unknown selector '{unknown}' (known: {string.Join(", ", Sparring.Selection.Selectors.Names)})");
        }

        Grading.Validate();
        return this;
    }

    /// <summary>The source for <paramref name="task"/>: the user's for its repo, else the user's <c>*</c>, else the task's own.</summary>
    public string? SourceFor(EvalTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Sources.GetValueOrDefault(task.Repo) ?? Sources.GetValueOrDefault("*") ?? task.Source;
    }
}
