using Sparring.Artifacts;

namespace Sparring.Injection;

/// <summary>
/// Decides whether a valid bug is too easy to keep: the injector then counts it as rejected <c>trivial</c> and
/// writes nothing. The check lives with whatever can tell (a cheap solver, for instance); the injector only asks.
/// </summary>
public interface ITrivialBugCheck
{
    /// <summary>Whether <paramref name="artifact"/>, already valid, is trivial, with a line saying why.</summary>
    Task<TrivialVerdict> CheckAsync(InjectionContext context, BugArtifact artifact, CancellationToken cancellationToken = default);
}

/// <summary>The answer of an <see cref="ITrivialBugCheck"/>: <paramref name="Detail"/> is shown as progress.</summary>
public sealed record TrivialVerdict(bool Trivial, string Detail);
