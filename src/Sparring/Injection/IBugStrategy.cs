namespace Sparring.Injection;

/// <summary>
/// One way of making bugs. Deterministic: the same context and the same seeded <see cref="Random"/> give
/// the same candidates in the same order, so an injection run replays byte for byte.
/// </summary>
public interface IBugStrategy
{
    /// <summary>The name <c>--strategy</c> takes.</summary>
    string Name { get; }

    /// <summary>Candidates, best first; the caller stops enumerating when it has enough valid bugs.</summary>
    IAsyncEnumerable<BugCandidate> CandidatesAsync(InjectionContext context, Random random, CancellationToken cancellationToken = default);
}
