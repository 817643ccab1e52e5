namespace Sparring.Testing;

/// <summary>A repository's image on the engines (<see cref="RepositoryImages.EnsureAsync"/>).</summary>
/// <param name="Reference">The image, <c>sparring-repo:NAME-COMMIT12-HASH</c>.</param>
/// <param name="Built">True when it was built now; false when the engines had it already.</param>
/// <param name="Seconds">How long making sure of it took.</param>
public sealed record RepositoryImage(string Reference, bool Built, double Seconds);
