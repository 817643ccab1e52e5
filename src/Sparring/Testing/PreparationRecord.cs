namespace Sparring.Testing;

/// <summary>What <c>prepared.json</c> in an environment directory holds: written last, so its presence means setup completed.</summary>
public sealed record PreparationRecord
{
    public required string Commit { get; init; }
    public required string RecipeHash { get; init; }
    public required IReadOnlyList<PreparationStep> Steps { get; init; }
}
