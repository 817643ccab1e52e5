namespace Sparring.Testing;

/// <summary>What detection decided for a repository: the runner, how to prepare it, how to run it.</summary>
public sealed record TestPlan
{
    /// <summary>Runner name: <c>pytest</c>, <c>go</c>, <c>node</c>, <c>jest</c>, <c>vitest</c>, <c>mocha</c>, <c>ava</c>, <c>tap</c>, <c>tape</c>, <c>dotnet</c>, or <c>custom</c>.</summary>
    public required string Runner { get; init; }

    /// <summary>Why this runner was chosen (the files that decided it).</summary>
    public required string Reason { get; init; }

    public required TestCommand Command { get; init; }

    public EnvironmentRecipe Recipe { get; init; } = new();

    /// <summary>Things the user should know (dependencies that cannot be installed here, ambiguous choices).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
